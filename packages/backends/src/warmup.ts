// Warm-up shared by every adapter: one call of a model (or function) on zeros, awaited to
// completion, timed, disposed. Follows tfjs's advice to run a model once before timing: WebGL
// compiles its shaders and wasm sets up XNNPACK operators on the first call.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError } from './errors.js';
import type { WarmupTarget } from './adapter.js';

/**
 * Runs `model` (an object with `predict`, or a function) on a zero tensor of `inputShape`,
 * waits for its outputs to be computed and returns the elapsed milliseconds. Every tensor it
 * made is disposed. A shape with a non-positive or fractional size throws `EffnetBackendError`.
 */
export async function timeFirstCall(model: WarmupTarget, inputShape: number[]): Promise<number> {
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new EffnetBackendError(
      tf.getBackend() ?? 'none',
      `warmup needs an input shape of positive integers, e.g. [1, 224, 224, 3]; got [${inputShape.join(', ')}]`,
    );
  }
  const run = typeof model === 'function' ? model : (x: tf.Tensor) => model.predict(x);
  const start = performance.now();
  const outputs = tf.tidy(() => {
    const out = run(tf.zeros(inputShape));
    return Array.isArray(out) ? out : [out];
  });
  try {
    await Promise.all(outputs.map((t) => t.data()));
  } finally {
    tf.dispose(outputs);
  }
  return performance.now() - start;
}

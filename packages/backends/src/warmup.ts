// Warm-up shared by every adapter: one call on zeros, awaited to completion, timed, disposed.
// Follows tfjs's advice to run a model once before timing (shader compilation, wasm setup).
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` on a zero tensor of `inputShape`, waits for its outputs to be computed and returns
 * the elapsed milliseconds. Every tensor it made is disposed.
 */
export async function timeFirstCall(
  fn: (input: tf.Tensor) => tf.Tensor | tf.Tensor[],
  inputShape: number[],
): Promise<number> {
  const start = performance.now();
  const outputs = tf.tidy(() => {
    const out = fn(tf.zeros(inputShape));
    return Array.isArray(out) ? out : [out];
  });
  try {
    await Promise.all(outputs.map((t) => t.data()));
  } finally {
    tf.dispose(outputs);
  }
  return performance.now() - start;
}

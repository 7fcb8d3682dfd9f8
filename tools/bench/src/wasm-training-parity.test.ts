// The demo's network trained on wasm, with every kernel @effnet/backend-wasm adds or replaces in its
// path (batch-norm statistics and gradients, SiLU's gradient, the convolution gradients, Transpose,
// the linear layer's transposed products), against the same step on tfjs-cpu: the loss, every
// gradient and the moving batch-norm statistics after the step, and no tensor left behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';

/** One training step of the demo's preset at batch 6 on `backend`: loss, gradients and the state after it. */
async function stepOn(backend: string): Promise<Record<string, Float32Array>> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const model = efficientnet(preset('efficientnetv2-28-lite', { inChannels: 1, numClasses: 10 }) as ModelSpec, { seed: 7 });
  const x = tf.tensor4d(Float32Array.from({ length: 6 * 28 * 28 }, (_, i) => Math.sin(i * 0.731)), [6, 28, 28, 1]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 3, 5, 7, 9, 2], 'int32'), 10), 'float32'));
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true, seed: 1 })) as tf.Scalar, model.trainableVariables());
  const out: Record<string, Float32Array> = { loss: value.dataSync() as Float32Array };
  // Gradients are keyed by variable name, which carries the model instance's prefix (effnet0/...).
  for (const [name, g] of Object.entries(grads)) out[`grad ${name.replace(/^[^/]*\//, '')}`] = g.dataSync() as Float32Array;
  for (const [name, v] of Object.entries(model.namedVariables())) if (/moving/.test(name)) out[name] = v.dataSync() as Float32Array;
  tf.dispose([value, x, y, ...Object.values(grads)]);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe('a training step of the demo network on wasm', () => {
  it('equals the step on cpu within 1e-4 (relative to each tensor\'s largest value, at least 1e-3): loss, 46 gradients and the moving statistics', async () => {
    const cpu = await stepOn('cpu');
    const wasm = await stepOn('wasm');
    expect(Object.keys(wasm).sort()).toEqual(Object.keys(cpu).sort());
    expect(Object.keys(cpu).filter((k) => k.startsWith('grad '))).toHaveLength(46);
    const worst: Array<[string, number]> = Object.keys(cpu).map((key) => {
      const [a, b] = [wasm[key]!, cpu[key]!];
      // Some tensors are zero but for rounding (the moving mean of a batch norm fed by one, the
      // β-gradient of a batch norm followed by a convolution and a batch norm: about 5e-9 here,
      // differing by 2e-8), so no tensor's scale is taken below 1e-3.
      const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
      return [key, Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!) / scale))];
    });
    expect(worst.filter(([, e]) => !(e <= 1e-4))).toEqual([]);
  });
});

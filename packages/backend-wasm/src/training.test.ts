// A full training step on wasm (with this package's gradient kernels) equals the same step on
// tfjs-backend-cpu; repeated inference and training leak no tensors on either backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, useWasmForTests } from '../test/wasm-setup.js';
import { registerWasmGradientKernels } from './register-kernels.js';
import { tinyForward, tinyTrainStep, tinyWeights } from '../test/tiny-net.js';

const WEIGHTS = tinyWeights(3);
const N = 3;
const X = Float32Array.from({ length: N * 11 * 11 * 3 }, (_, i) => Math.sin(i * 0.37));
const Y = Float32Array.from({ length: N * 5 }, (_, i) => (i % 5 === i % 3 ? 1 : 0));

async function stepOn(backend: string, steps: number): Promise<Record<string, Float32Array>> {
  await tf.setBackend(backend);
  const vars: Record<string, tf.Variable> = {};
  for (const [name, w] of Object.entries(WEIGHTS)) {
    const initial = tf.tensor(w.values, w.shape);
    vars[name] = tf.variable(initial, true, `${backend}-${name}-${tf.memory().numTensors}-${steps}`);
    initial.dispose();
  }
  const x = tf.tensor4d(X, [N, 11, 11, 3]);
  const y = tf.tensor2d(Y, [N, 5]);
  for (let s = 0; s < steps; s++) tinyTrainStep(x, y, vars);
  const out: Record<string, Float32Array> = {};
  for (const [name, v] of Object.entries(vars)) out[name] = (await v.data()) as Float32Array;
  tf.dispose([x, y, ...Object.values(vars)]);
  return out;
}

describe('training on wasm', () => {
  beforeAll(async () => {
    await useWasmForTests();
    registerWasmGradientKernels();
  });

  it('one SGD step gives the same updated weights as cpu within 1e-4', async () => {
    const cpu = await stepOn('cpu', 1);
    const wasm = await stepOn('wasm', 1);
    const delta = (after: Float32Array, name: string) => after.map((v, i) => v - WEIGHTS[name]!.values[i]!);
    for (const name of Object.keys(WEIGHTS)) {
      // The updated weights agree, and so do the updates themselves (a far stricter test).
      expect(maxRelativeError(wasm[name]!, cpu[name]!), name).toBeLessThan(1e-4);
      expect(maxRelativeError(delta(wasm[name]!, name), delta(cpu[name]!, name)), name).toBeLessThan(1e-4);
      // Every weight moved: its gradient is not zero.
      expect(Math.max(...delta(cpu[name]!, name).map(Math.abs)), name).toBeGreaterThan(0);
    }
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`20 training steps and 100 inference calls on ${backend} leak no tensors`, async () => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      await stepOn(backend, 20);
      const vars = Object.fromEntries(Object.entries(WEIGHTS).map(([k, w]) => [k, tf.tensor(w.values, w.shape)]));
      const x = tf.tensor4d(X, [N, 11, 11, 3]);
      let last: Float32Array = new Float32Array(0);
      for (let i = 0; i < 100; i++) {
        const logits = tf.tidy(() => tinyForward(x, vars));
        if (i === 99) last = (await logits.data()) as Float32Array;
        logits.dispose();
      }
      tf.dispose([x, ...Object.values(vars)]);
      expect(last.length).toBe(N * 5);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('cpu');
    });
  }
});

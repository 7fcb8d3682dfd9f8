// The bench network: its weight count, output shape, a training step that lowers the loss on a
// fixed batch, and the same step on wasm (with @effnet/backend-wasm's kernels) as on cpu.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { BENCH_NET_SHAPES, benchNetForward, benchNetTrainStep, benchNetVariables } from './bench-net.js';

async function twoSteps(backend: string): Promise<number[]> {
  await useBackend(backend);
  const vars = benchNetVariables(3);
  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([3, 8], 'int32'), 10), 'float32')) as tf.Tensor2D;
  const shape = tf.tidy(() => benchNetForward(x, vars).shape);
  const losses = [benchNetTrainStep(x, labels, vars, 0.2), benchNetTrainStep(x, labels, vars, 0.2), benchNetTrainStep(x, labels, vars, 0.2)];
  tf.dispose([x, labels, ...Object.values(vars)]);
  expect(shape).toEqual([2, 10]);
  return losses;
}

describe('bench network', () => {
  it('has 25,072 weights (counted by hand per layer)', () => {
    const count = Object.values(BENCH_NET_SHAPES).reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0);
    expect(count).toBe(25072);
  });

  it('training lowers the loss, and wasm steps equal cpu steps within 1e-4', async () => {
    const cpu = await twoSteps('cpu');
    expect(cpu[2]!).toBeLessThan(cpu[0]!);
    const wasm = await twoSteps('wasm');
    for (let i = 0; i < 3; i++) expect(Math.abs(wasm[i]! - cpu[i]!) / Math.abs(cpu[i]!)).toBeLessThan(1e-4);
    await useBackend('cpu');
  });
});

// SiLU's closed-form gradient (tf.customGrad) against tfjs-core's autodiff of x·σ(x): the values
// bit for bit, the gradient within 1e-6 (relative to the largest) on seeded inputs (large |x|
// included); the composed forms on a backend without SILU_GRAD_KERNEL and SILU_KERNEL (the wasm
// kernels themselves are tested in @effnet/backend-wasm); no leaked tensors.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SILU_GRAD_KERNEL, SILU_KERNEL, activate, siluForward, siluGradient } from './activation.js';
import { SeededRandom } from './seeded-random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('SiLU', () => {
  it('hand-checked: silu(0) = 0 with slope 1/2; silu(x) → x and slope → 1 for large x, → 0 for very negative x', () => {
    const x = tf.tensor1d([0, 40, -40]);
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(activate(t, 'silu')))(x);
    expect(value.dataSync()[0]).toBeCloseTo(40, 5);
    const g = grad.dataSync();
    expect(g[0]).toBe(0.5);
    expect(g[1]).toBe(1);
    expect(Math.abs(g[2]!)).toBeLessThan(1e-15);
    tf.dispose([x, value, grad]);
  });

  it('equals tf.mul(x, tf.sigmoid(x)) bit for bit, and its autodiff gradient within 1e-6 of the largest, without leaking', () => {
    const before = tf.memory().numTensors;
    const random = new SeededRandom(20261205);
    const rand = () => random.nextFloat();
    const x = tf.tensor(Float32Array.from({ length: 4000 }, () => (rand() * 2 - 1) * 10 ** (rand() * 3 - 1)), [10, 20, 20]);
    const dy = tf.tensor(Float32Array.from({ length: 4000 }, () => rand() * 2 - 1), [10, 20, 20]);
    const ours = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(activate(t, 'silu'), dy)))(x);
    const autodiff = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(tf.mul(t, tf.sigmoid(t)), dy)))(x);
    const plain = tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
    const value = tf.tidy(() => activate(x, 'silu'));
    expect(Array.from(value.dataSync())).toEqual(Array.from(plain.dataSync()));
    const [a, b] = [ours.grad.dataSync(), autodiff.grad.dataSync()];
    // Relative to the largest gradient: near x ≈ −1.28, where the slope crosses 0, both forms cancel.
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      largest = Math.max(largest, Math.abs(b[i]!));
    }
    expect(worst / largest).toBeLessThan(1e-6);
    tf.dispose([x, dy, ours.value, ours.grad, autodiff.value, autodiff.grad, plain, value]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('siluGradient is dy·(s·(1 + x·(1 − s))) on a backend without SILU_GRAD_KERNEL (tfjs-cpu)', () => {
    expect(SILU_GRAD_KERNEL).toBe('EffnetSiluGrad');
    expect(tf.getKernel(SILU_GRAD_KERNEL, 'cpu')).toBeUndefined();
    const [dy, x, s] = [tf.tensor1d([2, -1]), tf.tensor1d([3, 0.5]), tf.tensor1d([0.75, 0.5])];
    const g = tf.tidy(() => siluGradient(dy, x, s));
    // 2·(0.75·(1 + 3·0.25)) = 2.625; −1·(0.5·(1 + 0.5·0.5)) = −0.625
    expect(Array.from(g.dataSync())).toEqual([2.625, -0.625]);
    tf.dispose([dy, x, s, g]);
  });

  it('siluForward is tf.mul(x, tf.sigmoid(x)) bit for bit on a backend without SILU_KERNEL (tfjs-cpu), without leaking', () => {
    expect(SILU_KERNEL).toBe('EffnetSilu');
    expect(tf.getKernel(SILU_KERNEL, 'cpu')).toBeUndefined();
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([-100, -3, -0.5, 0, 0.5, 3, 100, NaN, -Infinity, Infinity], [2, 5]);
    const [ours, plain] = [siluForward(x), tf.tidy(() => tf.mul(x, tf.sigmoid(x)))];
    expect(ours.shape).toEqual([2, 5]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(plain.dataSync()));
    tf.dispose([x, ours, plain]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

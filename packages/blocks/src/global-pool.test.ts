// globalAveragePool against tf.mean over H, W: values and gradients bit for bit (tf.mean's gradient
// fills a tensor of ones in JavaScript; ours does not), either keepDims, no leaked tensors.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { globalAveragePool } from './global-pool.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('globalAveragePool', () => {
  it('hand-checked: the mean of each image and channel, and dy / (H·W) back at every position', () => {
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 6, 60], [1, 2, 2, 2]);
    const pooled = globalAveragePool(x);
    expect(pooled.shape).toEqual([1, 2]);
    expect(Array.from(pooled.dataSync())).toEqual([3, 30]);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(globalAveragePool(t as tf.Tensor4D, true), tf.tensor4d([4, 8], [1, 1, 1, 2]))))(x);
    expect(Array.from(dx.dataSync())).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    tf.dispose([x, pooled, dx]);
  });

  it('equals tf.mean(x, [1, 2], keepDims) and its gradient bit for bit on seeded shapes, without leaking', () => {
    const before = tf.memory().numTensors;
    for (const [shape, keepDims] of [
      [[2, 5, 7, 3], false],
      [[3, 4, 4, 8], true],
      [[1, 1, 1, 5], false],
      [[4, 7, 3, 6], true],
    ] as [[number, number, number, number], boolean][]) {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 7) as tf.Tensor4D;
      const weights = tf.randomNormal(keepDims ? [shape[0], 1, 1, shape[3]] : [shape[0], shape[3]], 0, 1, 'float32', 8);
      const ours = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(globalAveragePool(t as tf.Tensor4D, keepDims as true), weights)))(x);
      const theirs = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, [1, 2], keepDims), weights)))(x);
      expect(Array.from(ours.value.dataSync())).toEqual(Array.from(theirs.value.dataSync()));
      expect(ours.grad.shape).toEqual(shape);
      expect(Array.from(ours.grad.dataSync())).toEqual(Array.from(theirs.grad.dataSync()));
      tf.dispose([x, weights, ours.value, ours.grad, theirs.value, theirs.grad]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

// timeFirstCall: runs the function or model once on zeros of the shape, waits, disposes everything;
// a bad shape is a typed error.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetBackendError, timeFirstCall } from './index.js';

describe('timeFirstCall', () => {
  it('calls the function once on zeros of the given shape and leaks nothing', async () => {
    await tf.setBackend('cpu');
    const seen: number[][] = [];
    let sum = -1;
    const ms = await timeFirstCall((x) => {
      seen.push(x.shape);
      sum = tf.sum(x).dataSync()[0]!;
      return [tf.add(x, 1), tf.mul(x, 2)];
    }, [2, 4]);
    expect(seen).toEqual([[2, 4]]);
    expect(sum).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('calls predict of a model object once, as adapters do in warmup(model, inputShape)', async () => {
    await tf.setBackend('cpu');
    const kernel = tf.ones([3, 2]);
    const calls: number[][] = [];
    let out: number[] = [];
    const model = {
      predict(x: tf.Tensor): tf.Tensor {
        calls.push(x.shape);
        const y = tf.matMul(tf.add(x, 1) as tf.Tensor2D, kernel as tf.Tensor2D);
        out = Array.from(y.dataSync());
        return y;
      },
    };
    await timeFirstCall(model, [2, 3]);
    kernel.dispose();
    expect(calls).toEqual([[2, 3]]);
    expect(out).toEqual([3, 3, 3, 3]);
  });

  it('refuses a shape that is empty or not made of positive integers', async () => {
    await expect(timeFirstCall((x) => x, [1, 0, 3])).rejects.toThrow(EffnetBackendError);
    await expect(timeFirstCall((x) => x, [1, 2.5])).rejects.toThrow('warmup needs an input shape of positive integers, e.g. [1, 224, 224, 3]; got [1, 2.5]');
    await expect(timeFirstCall((x) => x, [])).rejects.toThrow(/got \[\]/);
  });
});

// timeFirstCall: runs the function once on zeros of the shape, waits, disposes everything.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { timeFirstCall } from './index.js';

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
});

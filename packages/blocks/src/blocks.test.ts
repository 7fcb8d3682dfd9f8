import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvBNAct } from './conv-bn-act.js';
import { dropPath } from './drop-path.js';
import { ParamStore } from './param-store.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BN = { eps: 1e-5, momentum: 0.1 };

/** A 3×3 stride-2 conv whose kernel is all ones, so each output is the sum of its padded window. */
function onesConv(padding: 'same' | 'symmetric') {
  const store = new ParamStore();
  const layer = new ConvBNAct(store, 'c', { inChannels: 1, outChannels: 1, kernel: 3, stride: 2, activation: null, padding, batchNorm: { eps: 0, momentum: 0.1 } });
  tf.tidy(() => store.variables()['c.conv.kernel']!.assign(tf.ones([3, 3, 1, 1])));
  return { store, layer };
}

describe('padding conventions on a stride-2 layer (4×4 input 1…16)', () => {
  const input = () => tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);

  it('symmetric pads one pixel on every side (PyTorch): windows start at −1', async () => {
    const { store, layer } = onesConv('symmetric');
    const out = tf.tidy(() => layer.apply(input(), false));
    // Rows/cols {−1,0,1} and {1,2,3}: 1+2+5+6, 2+3+4+6+7+8, 5+6+9+10+13+14, 6+7+8+10+11+12+14+15+16.
    expect(Array.from(await out.data())).toEqual([14, 30, 57, 99]);
    tf.dispose(out);
    store.dispose();
  });

  it('same pads only at the bottom and right (TensorFlow): windows start at 0', async () => {
    const { store, layer } = onesConv('same');
    const out = tf.tidy(() => layer.apply(input(), false));
    // Total pad 1, all at the end: rows/cols {0,1,2} and {2,3,(4)}: 1+2+3+5+6+7+9+10+11, 3+4+7+8+11+12, 9+10+11+13+14+15, 11+12+15+16.
    expect(Array.from(await out.data())).toEqual([54, 45, 72, 54]);
    tf.dispose(out);
    store.dispose();
  });
});

describe('batch norm', () => {
  it('updates moving statistics only in training, with the unbiased variance and PyTorch momentum', async () => {
    const store = new ParamStore();
    const layer = new ConvBNAct(store, 'c', { inChannels: 1, outChannels: 1, kernel: 1, stride: 1, activation: null, padding: 'symmetric', batchNorm: BN });
    tf.tidy(() => store.variables()['c.conv.kernel']!.assign(tf.ones([1, 1, 1, 1])));
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    tf.dispose(tf.tidy(() => layer.apply(x, false)));
    expect(Array.from(await store.variables()['c.bn.movingMean']!.data())).toEqual([0]);
    const trained = tf.tidy(() => layer.apply(x, true));
    // Batch mean 2.5, biased variance 1.25 (normalises the output), unbiased 5/3 (updates the average).
    expect((await store.variables()['c.bn.movingMean']!.data())[0]).toBeCloseTo(0.25, 6);
    expect((await store.variables()['c.bn.movingVariance']!.data())[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 6);
    const normed = Array.from(await trained.data());
    expect(normed.map((v) => Number(v.toFixed(4)))).toEqual([-1.3416, -0.4472, 0.4472, 1.3416]);
    tf.dispose([x, trained]);
    store.dispose();
  });
});

describe('drop path', () => {
  it('is the identity in evaluation and a seeded per-sample mask scaled by 1/(1−p) in training', async () => {
    const x = tf.ones([64, 2, 2, 1]) as tf.Tensor4D;
    expect(dropPath(x, 0.5, false, 1)).toBe(x);
    const a = dropPath(x, 0.25, true, 7);
    const b = dropPath(x, 0.25, true, 7);
    const values = Array.from(await a.data());
    expect(values).toEqual(Array.from(await b.data()));
    expect(new Set(values.map((v) => Number(v.toFixed(5))))).toEqual(new Set([0, 1.33333]));
    const perSample = Array.from({ length: 64 }, (_, n) => values.slice(n * 4, n * 4 + 4));
    expect(perSample.every((s) => s.every((v) => v === s[0]))).toBe(true);
    tf.dispose([x, a, b]);
  });
});

// Resampling between pyramid levels: max-pool 3×3 stride 2 under both padding conventions on a
// hand-worked 4×4 map, nearest-neighbour upsampling, the 1×1 projection only when channels differ.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EffnetBlockError } from './errors.js';
import { applyContext } from './module.js';
import { ParamStore } from './param-store.js';
import { ResampleFeature } from './resample-feature.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const EVAL = applyContext({ training: false });
const BN = { eps: 1e-3, momentum: 0.01 };

describe('ResampleFeature', () => {
  it.each([
    // 'same': pad 0 before, 1 after → windows rows/cols {0..2} and {2..3}: 10, 11, 14, 15.
    ['same', [10, 11, 14, 15]],
    // symmetric: pad 1 each side → windows {−1..1} and {1..3}: 5, 7, 13, 15.
    ['symmetric', [5, 7, 13, 15]],
  ] as const)('one level down with %s padding: max-pool 3×3 s2 of 0…15', async (padding, expected) => {
    const store = new ParamStore();
    const layer = new ResampleFeature(store.scope('p6'), { inChannels: 1, outChannels: 1, padding, batchNorm: BN });
    const x = tf.tidy(() => tf.reshape(tf.range(0, 16), [1, 4, 4, 1])) as tf.Tensor4D;
    const down = layer.apply(x, EVAL);
    const viaSize = layer.resample(x, [2, 2], EVAL);
    expect(down.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(await down.data())).toEqual(expected);
    expect(Array.from(await viaSize.data())).toEqual(expected);
    expect(layer.parameters()).toEqual([]);
    tf.dispose([x, down, viaSize]);
    store.dispose();
  });

  it('up a level: nearest-neighbour repeats each pixel 2×2', async () => {
    const store = new ParamStore();
    const layer = new ResampleFeature(store.scope('up'), { inChannels: 1, outChannels: 1, padding: 'same', batchNorm: BN });
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const up = layer.resample(x, [4, 4], EVAL);
    expect(Array.from(await up.data())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    tf.dispose([x, up]);
    store.dispose();
  });

  it('projects with conv 1×1 (bias) + BN when the channels differ: 4·6 + 6 + 2·6 parameters', async () => {
    const store = new ParamStore();
    const layer = new ResampleFeature(store.scope('r'), { inChannels: 4, outChannels: 6, padding: 'same', batchNorm: BN });
    expect(layer.parameters().map((p) => p.name)).toEqual(['r.conv.kernel', 'r.conv.bias', 'r.bn.gamma', 'r.bn.beta']);
    expect(store.countTrainable()).toBe(4 * 6 + 6 + 12);
    const x = tf.ones([2, 8, 8, 4]) as tf.Tensor4D;
    const y = layer.resample(x, [4, 4], EVAL);
    expect(y.shape).toEqual([2, 4, 4, 6]);
    expect(() => layer.resample(x, [0, 4], EVAL)).toThrow(EffnetBlockError);
    const wrong = tf.ones([1, 8, 8, 3]) as tf.Tensor4D;
    expect(() => layer.apply(wrong, EVAL)).toThrow(/\[N, H, W, 4\]/);
    tf.dispose([x, y, wrong]);
    store.dispose();
  });
});

// Weighted fusion: the three modes on hand values, ReLU-kept weights with ε = 1e-4, the stacked
// Module form, gradients to the weights, and typed errors.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EffnetBlockError } from './errors.js';
import { applyContext } from './module.js';
import { ParamStore } from './param-store.js';
import { FUSION_EPSILON, WeightedFusion } from './weighted-fusion.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const EVAL = applyContext({ training: false });

async function fuseTwo(mode: 'fast' | 'softmax' | 'sum', weights?: number[]): Promise<number[]> {
  const store = new ParamStore();
  const fusion = new WeightedFusion(store.scope('f'), 2, mode);
  if (weights) tf.tidy(() => fusion.weights!.variable!.assign(tf.tensor1d(weights)));
  const a = tf.fill([1, 1, 2, 1], 2) as tf.Tensor4D;
  const b = tf.fill([1, 1, 2, 1], 3) as tf.Tensor4D;
  const out = fusion.fuse([a, b], EVAL);
  const values = Array.from(await out.data());
  tf.dispose([a, b, out]);
  store.dispose();
  return values;
}

describe('WeightedFusion', () => {
  it('sum: 2 + 3 = 5, no parameters', async () => {
    expect(await fuseTwo('sum')).toEqual([5, 5]);
    const store = new ParamStore();
    expect(new WeightedFusion(store.scope('f'), 3, 'sum').parameters()).toEqual([]);
    store.dispose();
  });

  it('fast: initial weights 1 give (2 + 3)/(2 + ε)', async () => {
    const [v] = await fuseTwo('fast');
    expect(v).toBeCloseTo(5 / (2 + FUSION_EPSILON), 6);
    expect(FUSION_EPSILON).toBe(1e-4);
  });

  it('fast: a negative weight is cut to 0 by ReLU: weights (−1, 3) give 3·3/(3 + ε)', async () => {
    const [v] = await fuseTwo('fast', [-1, 3]);
    expect(v).toBeCloseTo(9 / (3 + FUSION_EPSILON), 6);
  });

  it('softmax: weights (0, ln 3) give ¼·2 + ¾·3 = 2.75', async () => {
    const [v] = await fuseTwo('softmax', [0, Math.log(3)]);
    expect(v).toBeCloseTo(2.75, 6);
  });

  it('one weight per input, named <scope>.weights; the stacked Module form fuses the same', async () => {
    const store = new ParamStore();
    const fusion = new WeightedFusion(store.scope('nodes.0.fusion'), 3, 'fast');
    expect(fusion.parameters().map((p) => [p.name, p.shape])).toEqual([['nodes.0.fusion.weights', [3]]]);
    const stacked = tf.tensor5d([1, 2, 3], [3, 1, 1, 1, 1]);
    const out = fusion.apply(stacked, EVAL);
    expect((await out.data())[0]).toBeCloseTo(6 / (3 + FUSION_EPSILON), 6);
    tf.dispose([stacked, out]);
    store.dispose();
  });

  it('gradients reach kept weights and not ReLU-cut ones', async () => {
    const store = new ParamStore();
    const fusion = new WeightedFusion(store.scope('f'), 2, 'fast');
    tf.tidy(() => fusion.weights!.variable!.assign(tf.tensor1d([-1, 2])));
    const a = tf.fill([1, 2, 2, 1], 2) as tf.Tensor4D;
    const b = tf.fill([1, 2, 2, 1], 3) as tf.Tensor4D;
    const { value, grads } = tf.variableGrads(() => tf.sum(fusion.fuse([a, b], EVAL)) as tf.Scalar, [fusion.weights!.variable!]);
    const g = await grads[fusion.weights!.variable!.name]!.data();
    expect(Math.abs(g[0]!)).toBe(0);
    // d/dw₂ of 4·3·w₂/(w₂ + ε) = 12·ε/(w₂ + ε)².
    expect(g[1]).toBeCloseTo((12 * FUSION_EPSILON) / (2 + FUSION_EPSILON) ** 2, 6);
    tf.dispose([a, b, value, ...Object.values(grads)]);
    store.dispose();
  });

  it('rejects one input, an unknown mode and mismatched shapes with EffnetBlockError', () => {
    const store = new ParamStore();
    expect(() => new WeightedFusion(store.scope('a'), 1, 'fast')).toThrow(EffnetBlockError);
    expect(() => new WeightedFusion(store.scope('b'), 2, 'mean' as 'fast')).toThrow(/'fast', 'softmax' or 'sum'/);
    const fusion = new WeightedFusion(store.scope('c'), 2, 'sum');
    const a = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    const b = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => fusion.fuse([a, b])).toThrow(/resample them first/);
    expect(() => fusion.fuse([a])).toThrow(/expects 2 inputs/);
    tf.dispose([a, b]);
    store.dispose();
  });
});

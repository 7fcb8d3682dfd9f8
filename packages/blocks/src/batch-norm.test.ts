// Training-mode batch norm's closed-form gradient (tf.customGrad) against tfjs-core's autodiff of
// the same forward pass (tf.moments + tf.batchNorm4d) on seeded random shapes: forward values
// bit-identical, dx, dγ, dβ within 1e-4 relative; hand-checkable cases; no leaked tensors.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm, batchNormGradients } from './batch-norm.js';
import { applyContext } from './module.js';
import { ParamStore, valueOf } from './param-store.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** mulberry32: seeded uniform numbers in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Largest |actual − expected| over the largest |expected| (at least 1e-3: near-zero gradients compare absolutely). */
function relErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 1e-3;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / scale);
  return worst;
}

interface Case {
  shape: [number, number, number, number];
  x: Float32Array;
  w: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  eps: number;
}

function makeCase(rand: () => number): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const shape: [number, number, number, number] = [pick([1, 2, 5]), pick([2, 3, 4, 7]), pick([1, 2, 5]), pick([1, 3, 8])];
  const size = shape.reduce((a, b) => a * b, 1);
  const offset = rand() * 4 - 2;
  const spread = 0.1 + rand() * 3;
  const fill = (n: number, f: () => number) => Float32Array.from({ length: n }, f);
  return {
    shape,
    x: fill(size, () => offset + spread * (rand() * 2 - 1)),
    w: fill(size, () => rand() * 2 - 1),
    gamma: fill(shape[3], () => rand() * 2 - 1),
    beta: fill(shape[3], () => rand() * 2 - 1),
    eps: pick([1e-5, 1e-3]),
  };
}

/** y, dx, dγ, dβ of loss = Σ y · w, for the layer (closed form) and for plain autodiff. */
function run(c: Case, closedForm: boolean): { y: Float32Array; dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(c.x, c.shape);
    const w = tf.tensor4d(c.w, c.shape);
    const store = new ParamStore();
    const bn = new BatchNorm(store.scope('bn'), { channels: c.shape[3], eps: c.eps, momentum: 0.1 });
    valueOf<tf.Variable>(bn.gamma).assign(tf.tensor1d(c.gamma));
    valueOf<tf.Variable>(bn.beta).assign(tf.tensor1d(c.beta));
    const gamma = valueOf<tf.Variable>(bn.gamma);
    const beta = valueOf<tf.Variable>(bn.beta);
    const train = applyContext({ training: true, seed: 0 });
    const reference = (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor4D => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.batchNorm4d(input as tf.Tensor4D, mean as tf.Tensor1D, variance as tf.Tensor1D, b as tf.Tensor1D, g as tf.Tensor1D, c.eps);
    };
    let y: tf.Tensor;
    let dx: tf.Tensor;
    let dGamma: tf.Tensor;
    let dBeta: tf.Tensor;
    if (closedForm) {
      y = bn.apply(x, train);
      dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(bn.apply(input as tf.Tensor4D, train), w)))(x);
      // The layer reads γ and β from its variables, so their gradients come from variableGrads.
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.apply(x, train), w)) as tf.Scalar, [gamma, beta]);
      [dGamma, dBeta] = [grads[gamma.name]!, grads[beta.name]!];
    } else {
      y = reference(x, gamma, beta);
      [dx, dGamma, dBeta] = tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(reference(input, g, b), w)))([x, gamma, beta]) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
    }
    const out = {
      y: y.dataSync() as Float32Array,
      dx: dx.dataSync() as Float32Array,
      dGamma: dGamma.dataSync() as Float32Array,
      dBeta: dBeta.dataSync() as Float32Array,
    };
    store.dispose();
    return out;
  });
}

describe('batch norm closed-form gradient', () => {
  it('equals tfjs-core autodiff of moments + batchNorm4d within 1e-4 relative on 40 seeded shapes, forward bit-identical', () => {
    const rand = seeded(20261126);
    const failures: string[] = [];
    for (let k = 0; k < 40; k++) {
      const c = makeCase(rand);
      const ours = run(c, true);
      const reference = run(c, false);
      expect(Array.from(ours.y), `y ${c.shape.join('x')}`).toEqual(Array.from(reference.y));
      for (const key of ['dx', 'dGamma', 'dBeta'] as const) {
        const err = relErr(ours[key], reference[key]);
        if (!(err <= 1e-4)) failures.push(`${key} ${c.shape.join('x')} eps ${c.eps}: ${err}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('one value per channel (N·H·W = 1): y = β and dx = 0 exactly, dγ = 0, dβ = dy', async () => {
    const c: Case = { shape: [1, 1, 1, 3], x: Float32Array.of(0.3, -2, 7), w: Float32Array.of(1, -0.5, 2), gamma: Float32Array.of(1.5, -1, 0.2), beta: Float32Array.of(0.1, 0.2, -0.3), eps: 1e-3 };
    const ours = run(c, true);
    expect(Array.from(ours.y)).toEqual(Array.from(c.beta));
    expect(Array.from(ours.dx)).toEqual([0, 0, 0]);
    expect(Array.from(ours.dGamma)).toEqual([0, 0, 0]);
    expect(Array.from(ours.dBeta)).toEqual([1, -0.5, 2]);
  });

  it('a constant dy gives dx = 0, dβ = Σ dy and dγ = 0 (Σ x̂ = 0)', async () => {
    const [dx, dGamma, dBeta] = tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4, 10, -2], [1, 3, 2, 1]);
      const dy = tf.fill([1, 3, 2, 1], 0.5) as tf.Tensor4D;
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return batchNormGradients(dy, x, mean as tf.Tensor1D, variance as tf.Tensor1D, tf.tensor1d([2]), 1e-5);
    });
    for (const v of await dx.data()) expect(Math.abs(v)).toBeLessThan(1e-6);
    expect(Math.abs((await dGamma.data())[0]!)).toBeLessThan(1e-5);
    expect(Array.from(await dBeta.data())).toEqual([3]);
    tf.dispose([dx, dGamma, dBeta]);
  });

  it('matches the formula on a hand-sized case: dy = x̂ gives dγ = n and dx = 0', async () => {
    // With dy = x̂: mean(dy) = 0 and mean(dy·x̂) = mean(x̂²) = var/(var+eps) ≈ 1, so dx ≈ γ/σ·(x̂ − x̂) = 0.
    const [dx, dGamma, dBeta] = tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const xhat = tf.div(tf.sub(x, mean), tf.sqrt(variance)) as tf.Tensor4D;
      return batchNormGradients(xhat, x, mean as tf.Tensor1D, variance as tf.Tensor1D, tf.tensor1d([1]), 1e-12);
    });
    expect((await dGamma.data())[0]).toBeCloseTo(4, 4);
    expect((await dBeta.data())[0]).toBeCloseTo(0, 5);
    for (const v of await dx.data()) expect(Math.abs(v)).toBeLessThan(1e-5);
    tf.dispose([dx, dGamma, dBeta]);
  });

  it('a training step through the layer leaks no tensors and still updates the moving statistics', async () => {
    const store = new ParamStore();
    const bn = new BatchNorm(store.scope('bn'), { channels: 2, eps: 1e-3, momentum: 0.5 });
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 6, 40], [1, 2, 2, 2]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(bn.apply(x, applyContext({ training: true, seed: 0 })))) as tf.Scalar, [
          valueOf<tf.Variable>(bn.gamma),
          valueOf<tf.Variable>(bn.beta),
        ]);
        expect(Object.keys(grads)).toHaveLength(2);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    // Three updates of m ← 0.5·m + 0.5·3 from 0: 1.5, 2.25, 2.625 (channel 0's batch mean is 3).
    expect((await valueOf(bn.movingMean).data())[0]).toBeCloseTo(2.625, 5);
    x.dispose();
    store.dispose();
  });
});

// Sum and Mean on wasm (leading-axis reductions as one XNNPACK matrix product, the rest by the
// stock kernels) equal tfjs-cpu on a seeded sweep of shapes, axes, keepDims and dtypes.
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, seeded, useWasmForTests } from '../test/wasm-setup.js';
import { registerWasmGradientKernels } from './register-kernels.js';
import { planLeadingReduction } from './kernels/leading-reduction.js';
import { meanConfig } from './kernels/mean.js';
import { sumConfig } from './kernels/sum.js';

interface Case {
  kernel: 'Sum' | 'Mean';
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
  axis: number | number[];
  keepDims: boolean;
  label: string;
}

function makeCases(count: number, seed: number): Case[] {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const cases: Case[] = [];
  for (let k = 0; k < count; k++) {
    const rank = pick([2, 3, 4, 4, 4, 5]);
    const shape = Array.from({ length: rank }, () => pick([1, 2, 3, 5, 8, 13]));
    // Mostly contiguous blocks (the fast path), sometimes arbitrary sets or a negative single axis.
    const style = pick(['block', 'block', 'block', 'set', 'single']);
    let axis: number | number[];
    if (style === 'block') {
      const first = Math.floor(rand() * rank);
      const last = first + Math.floor(rand() * (rank - first));
      axis = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    } else if (style === 'set') {
      axis = Array.from({ length: rank }, (_, i) => i).filter(() => rand() < 0.5);
      if (axis.length === 0) axis = [0];
    } else {
      axis = -1 - Math.floor(rand() * rank);
    }
    const kernel = pick(['Sum', 'Mean'] as const);
    const dtype = kernel === 'Sum' && rand() < 0.15 ? 'int32' : 'float32';
    const size = shape.reduce((a, b) => a * b, 1);
    const values = dtype === 'int32' ? Int32Array.from({ length: size }, () => Math.floor(rand() * 200) - 100) : Float32Array.from({ length: size }, () => rand() * 4 - 1);
    const keepDims = rand() < 0.3;
    cases.push({ kernel, shape, dtype, values, axis, keepDims, label: `${kernel} ${dtype} [${shape.join(',')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}` });
  }
  return cases;
}

async function runOn(backend: string, c: Case): Promise<{ shape: number[]; values: ArrayLike<number> }> {
  await tf.setBackend(backend);
  const x = tf.tensor(c.values, c.shape, c.dtype);
  const out = tf.engine().runKernel(c.kernel, { x }, { axis: c.axis, keepDims: c.keepDims } as unknown as NamedAttrMap) as tf.Tensor;
  const values = await out.data();
  const shape = out.shape;
  tf.dispose([x, out]);
  return { shape, values };
}

describe('wasm Sum and Mean', () => {
  beforeAll(async () => {
    await useWasmForTests();
    registerWasmGradientKernels();
  });

  it('replace the stock kernels', () => {
    expect(getKernel('Sum', 'wasm')?.kernelFunc).toBe(sumConfig.kernelFunc);
    expect(getKernel('Mean', 'wasm')?.kernelFunc).toBe(meanConfig.kernelFunc);
  });

  it('plan only float32 reductions over a contiguous block of axes that leaves the last axis', () => {
    const info = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => ({ shape, dtype }) as unknown as TensorInfo;
    expect(planLeadingReduction(info([64, 7, 7, 256]), [0, 1, 2], false)).toEqual({ outer: 1, reduced: 64 * 49, inner: 256, outShape: [256] });
    expect(planLeadingReduction(info([64, 7, 7, 256]), [1, 2], true)).toEqual({ outer: 64, reduced: 49, inner: 256, outShape: [64, 1, 1, 256] });
    expect(planLeadingReduction(info([4, 5, 6]), -2, false)).toEqual({ outer: 4, reduced: 5, inner: 6, outShape: [4, 6] });
    expect(planLeadingReduction(info([4, 5, 6]), [0, 2], false)).toBeUndefined();
    expect(planLeadingReduction(info([4, 5, 6]), [1, 2], false)).toBeUndefined();
    expect(planLeadingReduction(info([4, 5, 6], 'int32'), [0], false)).toBeUndefined();
    expect(planLeadingReduction(info([4, 0, 6]), [0], false)).toBeUndefined();
  });

  it('equal tfjs-cpu on 200 seeded cases (float32 within 1e-5 relative, int32 exactly)', async () => {
    const cases = makeCases(200, 20261126);
    const fast = cases.filter((c) => planLeadingReduction({ shape: c.shape, dtype: c.dtype } as unknown as TensorInfo, c.axis, c.keepDims) !== undefined);
    expect(fast.length).toBeGreaterThan(60);
    expect(cases.length - fast.length).toBeGreaterThan(40);
    expect(cases.some((c) => c.dtype === 'int32')).toBe(true);
    const failures: string[] = [];
    for (const c of cases) {
      const expected = await runOn('cpu', c);
      const actual = await runOn('wasm', c);
      expect(actual.shape, c.label).toEqual(expected.shape);
      const worst = maxRelativeError(actual.values, expected.values);
      if (!(worst <= (c.dtype === 'int32' ? 0 : 1e-5))) failures.push(`${c.label}: ${worst}`);
    }
    expect(failures).toEqual([]);
  });

  it('a large batch-norm-sized reduction (64×14×14×96 over N, H, W) equals cpu within 1e-5', async () => {
    const rand = seeded(5);
    const c: Case = {
      kernel: 'Sum',
      shape: [64, 14, 14, 96],
      dtype: 'float32',
      values: Float32Array.from({ length: 64 * 14 * 14 * 96 }, () => rand() * 2 - 0.5),
      axis: [0, 1, 2],
      keepDims: false,
      label: 'large',
    };
    const expected = await runOn('cpu', c);
    const actual = await runOn('wasm', c);
    let worst = 0;
    for (let i = 0; i < 96; i++) worst = Math.max(worst, Math.abs(actual.values[i]! - expected.values[i]!) / Math.abs(expected.values[i]!));
    expect(worst).toBeLessThan(1e-5);
  });
});

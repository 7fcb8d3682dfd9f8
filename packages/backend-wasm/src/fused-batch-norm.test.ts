// FusedBatchNorm on wasm (per-channel statistics as broadcast passes, the rest by the stock
// kernel) equals tfjs-cpu on a seeded sweep of shapes, with and without scale and offset.
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, seeded, useWasmForTests } from '../test/wasm-setup.js';
import { registerWasmGradientKernels } from './register-kernels.js';
import { fusedBatchNormConfig } from './kernels/fused-batch-norm.js';

interface Case {
  label: string;
  x: { shape: number[]; values: Float32Array };
  stats: Record<string, { shape: number[]; values: Float32Array } | undefined>;
  eps: number;
}

function makeCases(count: number, seed: number): Case[] {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const fill = (shape: number[], lo: number, hi: number) => ({ shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * rand()) });
  const cases: Case[] = [];
  for (let k = 0; k < count; k++) {
    const rank = pick([2, 4, 4, 4]);
    const shape = Array.from({ length: rank }, () => pick([1, 2, 3, 5, 8]));
    const c = shape[rank - 1]!;
    // Per channel as [C] or [1, …, C]; sometimes full-shape statistics (the stock kernel's case).
    const kind = pick(['flat', 'flat', 'kept', 'full'] as const);
    const statShape = kind === 'flat' ? [c] : kind === 'kept' ? [...shape.slice(0, -1).map(() => 1), c] : shape;
    const withScale = rand() < 0.7;
    const withOffset = rand() < 0.7;
    cases.push({
      label: `x [${shape.join(',')}] stats [${statShape.join(',')}] scale ${withScale} offset ${withOffset}`,
      x: fill(shape, -3, 3),
      stats: {
        mean: fill(statShape, -1, 1),
        variance: fill(statShape, 0, 2),
        scale: withScale ? fill(statShape, -2, 2) : undefined,
        offset: withOffset ? fill(statShape, -1, 1) : undefined,
      },
      eps: pick([1e-5, 1e-3]),
    });
  }
  return cases;
}

async function runOn(backend: string, c: Case): Promise<Float32Array> {
  await tf.setBackend(backend);
  const make = (v: { shape: number[]; values: Float32Array } | undefined) => (v === undefined ? undefined : tf.tensor(v.values, v.shape));
  const x = make(c.x)!;
  const [mean, variance, scale, offset] = [make(c.stats['mean']), make(c.stats['variance']), make(c.stats['scale']), make(c.stats['offset'])];
  const inputs: Record<string, tf.Tensor> = { x, mean: mean!, variance: variance! };
  if (scale) inputs['scale'] = scale;
  if (offset) inputs['offset'] = offset;
  const out = tf.engine().runKernel('FusedBatchNorm', inputs, { varianceEpsilon: c.eps }) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  tf.dispose([out, x, mean!, variance!, ...(scale ? [scale] : []), ...(offset ? [offset] : [])]);
  return values;
}

describe('wasm FusedBatchNorm', () => {
  beforeAll(async () => {
    await useWasmForTests();
    registerWasmGradientKernels();
  });

  it('replaces the stock kernel', () => {
    expect(getKernel('FusedBatchNorm', 'wasm')?.kernelFunc).toBe(fusedBatchNormConfig.kernelFunc);
  });

  it('equals tfjs-cpu within 1e-5 relative on 80 seeded cases and frees every intermediate', async () => {
    await tf.setBackend('wasm');
    const buffers = (tf.backend() as KernelBackend).numDataIds();
    const cases = makeCases(80, 20261126);
    expect(cases.some((c) => c.label.includes('stats [') && c.label.includes('scale false'))).toBe(true);
    const failures: string[] = [];
    for (const c of cases) {
      const expected = await runOn('cpu', c);
      const actual = await runOn('wasm', c);
      const worst = maxRelativeError(actual, expected);
      if (!(worst <= 1e-5)) failures.push(`${c.label}: ${worst}`);
    }
    expect(failures).toEqual([]);
    await tf.setBackend('wasm');
    expect((tf.backend() as KernelBackend).numDataIds()).toBe(buffers);
    await tf.setBackend('cpu');
  });
});

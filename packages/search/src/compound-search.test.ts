import { describe, expect, it } from 'vitest';
import { cost, preset, scale, type ModelSpec } from '@effnet/scaling';
import { compoundFamily, compoundGrid, compoundSearch, type CompoundResult } from './compound-search.js';
import { memorySearchStore } from './search-store.js';

const base = preset('efficientnetv2-28-lite');
const training = { steps: 2, batchSize: 8 };
const grid = { step: 0.1, tolerance: 0.1 };

/** A deterministic score: prefers depth over width over resolution (so the winner is known). */
async function depthLover(spec: ModelSpec) {
  const { params, macs } = cost(spec);
  return { accuracy: spec.blocks.length / 10 + spec.width / 100 + 1 / spec.resolution.train, stepMs: macs / 1e6, params, flops: 2 * macs, seconds: 1, backend: 'none' };
}

describe('compoundSearch', () => {
  it('enumerates scaling\'s grid under α·β²·γ² ≈ 2 and trains each point at φ = 1', async () => {
    const points = await compoundGrid(grid);
    expect(points.length).toBeGreaterThan(3);
    for (const p of points) expect(Math.abs(p.alpha * p.beta ** 2 * p.gamma ** 2 - 2)).toBeLessThanOrEqual(0.1 + 1e-12);
    const report = await compoundSearch({ base, training, grid, evaluate: depthLover });
    expect(report.results).toHaveLength(points.length);
    expect(report.gridSize).toBe(points.length);
    const scores = await Promise.all(points.map(async (p) => (await depthLover(scale(base, { phi: 1, coefficients: p }))).accuracy));
    const bestIndex = scores.indexOf(Math.max(...scores));
    expect(report.best.index).toBe(bestIndex);
    expect([report.best.alpha, report.best.beta, report.best.gamma]).toEqual([points[bestIndex]!.alpha, points[bestIndex]!.beta, points[bestIndex]!.gamma]);
  });

  it('gives the B1-B7-like family of the best coefficients', () => {
    const family = compoundFamily(base, { alpha: 1.2, beta: 1.1, gamma: 1.15 });
    expect(family.map((m) => m.spec.name)).toEqual([1, 2, 3, 4, 5, 6, 7].map((phi) => `efficientnetv2-28-lite-b${phi}`));
    expect(family.map((m) => m.spec.resolution.train)).toEqual([1, 2, 3, 4, 5, 6, 7].map((phi) => Math.round(28 * 1.15 ** phi)));
    expect(family[0]!.params).toBe(cost(scale(base, { phi: 1 })).params);
    for (let i = 1; i < 7; i++) expect(family[i]!.flops).toBeGreaterThan(family[i - 1]!.flops);
  });

  it('resumes from a store with the same results as an uninterrupted run, and stops on its budget', async () => {
    const whole = await compoundSearch({ base, training, grid, evaluate: depthLover });
    const store = memorySearchStore<CompoundResult>();
    const part = await compoundSearch({ base, training, grid, evaluate: depthLover, store, budget: { candidates: 2 } });
    expect(part.results).toHaveLength(2);
    const resumed = await compoundSearch({ base, training, grid, evaluate: depthLover, store });
    expect(resumed.results).toEqual(whole.results);
    await expect(compoundSearch({ base, training, grid: { step: 0.05 }, evaluate: depthLover, store })).rejects.toThrow(/resume: the stored search has grid/);
  });
});

// NAS maths: the V1 and V2 rewards, the seeded V2 search-space sampler (1,000 samples, all valid)
// and the compound grid search on a synthetic score with a known optimum.
import { describe, expect, it } from 'vitest';
import {
  cost,
  EffnetConfigError,
  gridSearchCompound,
  rewardV1,
  rewardV2,
  sampleSearchSpace,
  V2_SEARCH_SPACE,
  type CompoundCoefficients,
} from './index.js';
import { seededRandom } from './seeded-random.js';

function configError(run: () => unknown): EffnetConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EffnetConfigError);
    return error as EffnetConfigError;
  }
  throw new Error('expected an EffnetConfigError');
}

describe('rewards', () => {
  it('rewardV1 = ACC·(FLOPS/T)^w', () => {
    expect(rewardV1(0.77, 400e6, { target: 400e6 })).toBe(0.77);
    expect(rewardV1(0.77, 800e6, { target: 400e6 })).toBeCloseTo(0.77 * 2 ** -0.07, 15);
    expect(rewardV1(0.8, 200e6, { target: 400e6, w: -0.15 })).toBeCloseTo(0.8 * 0.5 ** -0.15, 15);
    // A model twice as large must be 2^0.07 ≈ 5 % more accurate to score the same.
    expect(rewardV1(0.77 * 2 ** 0.07, 800e6, { target: 400e6 })).toBeCloseTo(0.77, 15);
  });

  it('rewardV2 = A·S^w·P^v', () => {
    expect(rewardV2(0.8, 1, 1)).toBe(0.8);
    expect(rewardV2(0.8, 2, 1e6)).toBeCloseTo(0.8 * 2 ** -0.07 * 1e6 ** -0.05, 15);
    expect(rewardV2(0.8, 2, 1e6, { w: 0, v: -0.1 })).toBeCloseTo(0.8 * 1e6 ** -0.1, 15);
  });

  it('reject bad inputs by name', () => {
    expect(configError(() => rewardV1(0.7, 0, { target: 1 })).field).toBe('flops');
    expect(configError(() => rewardV1(0.7, 1, { target: 0 })).field).toBe('target');
    expect(configError(() => rewardV1(0.7, 1, undefined as never)).field).toBe('target');
    expect(configError(() => rewardV1(-0.1, 1, { target: 1 })).field).toBe('acc');
    expect(configError(() => rewardV1(0.7, 1, { target: 1, w: Number.NaN })).field).toBe('w');
    expect(configError(() => rewardV2(0.7, -1, 1)).field).toBe('stepTime');
    expect(configError(() => rewardV2(0.7, 1, 0)).field).toBe('params');
    expect(configError(() => rewardV2(0.7, 1, 1, { v: Infinity })).field).toBe('v');
  });
});

describe('seededRandom', () => {
  it('is reproducible, in [0, 1), and differs between seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const values = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    expect(seededRandom(8).next()).not.toBe(values[0]);
    expect(configError(() => seededRandom(1.5)).field).toBe('seed');
  });
});

describe('sampleSearchSpace', () => {
  it('returns the same spec for the same seed', () => {
    expect(sampleSearchSpace(42)).toEqual(sampleSearchSpace(42));
    expect(sampleSearchSpace(42).name).toBe('v2-search-42');
  });

  it('returns 1,000 valid, resolvable specs that use the search space', () => {
    const signatures = new Set<string>();
    for (let seed = 0; seed < 1000; seed++) {
      const spec = sampleSearchSpace(seed);
      const stages = spec.stages!;
      signatures.add(stages.map((s) => s.blockString).join(' '));
      expect(stages).toHaveLength(V2_SEARCH_SPACE.stages.length);
      stages.forEach((stage, i) => {
        const space = V2_SEARCH_SPACE.stages[i]!;
        expect(V2_SEARCH_SPACE.ops).toContain(stage.args.kind);
        expect(V2_SEARCH_SPACE.kernels).toContain(stage.args.kernel);
        expect(V2_SEARCH_SPACE.expansions).toContain(stage.args.expand);
        expect(space.layers).toContain(stage.args.repeats);
        expect(stage.args.stride).toBe(space.stride);
        expect(stage.outChannels).toBe(space.outChannels);
        expect(stage.args.seRatio).toBe(stage.args.kind === 'mbconv' ? 0.25 : undefined);
      });
      let channels = spec.stem.outChannels;
      expect(channels).toBe(32);
      for (const block of spec.blocks) {
        expect(block.inChannels).toBe(channels);
        expect(block.expandedChannels).toBe(block.inChannels * block.expand);
        expect(block.seChannels).toBe(block.kind === 'mbconv' ? Math.max(1, Math.floor(block.inChannels / 4)) : 0);
        expect(block.residual).toBe(block.stride === 1 && block.inChannels === block.outChannels);
        channels = block.outChannels;
      }
      expect(spec.blocks).toHaveLength(stages.reduce((sum, s) => sum + s.repeats, 0));
      const report = cost(spec);
      expect(report.params).toBeGreaterThan(0);
      expect(Number.isFinite(report.macs)).toBe(true);
      expect(report.perStage.at(-2)!.outShape).toEqual([1280, 1, 1]);
    }
    // The sampler explores: nearly every seed gives another architecture.
    expect(signatures.size).toBeGreaterThan(990);
  });

  it('rejects bad seeds and malformed spaces', () => {
    expect(configError(() => sampleSearchSpace(Number.NaN)).field).toBe('seed');
    expect(configError(() => sampleSearchSpace(0.5)).field).toBe('seed');
    expect(configError(() => sampleSearchSpace(1, { ...V2_SEARCH_SPACE, kernels: [] })).field).toBe('space.kernels');
  });
});

describe('gridSearchCompound', () => {
  const optimum = { alpha: 1.2, beta: 1.1, gamma: 1.15 };
  const score = ({ alpha, beta, gamma }: CompoundCoefficients) =>
    -((alpha - optimum.alpha) ** 2 + (beta - optimum.beta) ** 2 + (gamma - optimum.gamma) ** 2);

  it('finds the known optimum of a synthetic score under α·β²·γ² ≈ 2', async () => {
    const report = await gridSearchCompound(score, { step: 0.05, tolerance: 0.1 });
    expect(report.best).toMatchObject(optimum);
    expect(report.best.score).toBeCloseTo(0, 12);
    expect(report.best.flopsFactor).toBeCloseTo(1.2 * 1.21 * 1.3225, 12);
    for (const result of report.results) {
      expect(Math.abs(result.flopsFactor - 2)).toBeLessThanOrEqual(0.1);
      expect(Math.min(result.alpha, result.beta, result.gamma)).toBeGreaterThanOrEqual(1);
    }
    const scores = report.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('awaits async evaluate functions, one candidate at a time', async () => {
    let running = 0;
    let calls = 0;
    const report = await gridSearchCompound(
      async (candidate) => {
        running++;
        calls++;
        expect(running).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 0));
        running--;
        return score(candidate);
      },
      { step: 0.1, tolerance: 0.15 },
    );
    expect(calls).toBe(report.results.length);
    expect(report.best).toMatchObject({ alpha: 1.2, beta: 1.1, gamma: 1.2 });
  });

  it('rejects bad options and bad scores', async () => {
    await expect(gridSearchCompound(score, { step: 0 })).rejects.toMatchObject({ field: 'step' });
    await expect(gridSearchCompound(score, { step: 0.001 })).rejects.toMatchObject({ field: 'step' });
    await expect(gridSearchCompound(score, { step: 0.3, tolerance: 0 })).rejects.toMatchObject({ field: 'tolerance' });
    await expect(gridSearchCompound(score, { tolerance: -1 })).rejects.toMatchObject({ field: 'tolerance' });
    await expect(gridSearchCompound(() => Number.NaN)).rejects.toMatchObject({ field: 'evaluate' });
    await expect(gridSearchCompound('f' as never)).rejects.toBeInstanceOf(EffnetConfigError);
  });
});

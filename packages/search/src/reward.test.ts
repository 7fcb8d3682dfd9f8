import { describe, expect, it } from 'vitest';
import { EffnetError } from '@effnet/scaling';
import { EffnetSearchError } from './errors.js';
import { searchReward } from './reward.js';

const inputs = { accuracy: 0.8, stepMs: 200, params: 100_000, flops: 8e6 };

describe('searchReward', () => {
  it('is EfficientNetV2\'s A · S^w · P^v with the default weights −0.07 and −0.05', () => {
    expect(searchReward(inputs)).toBe(0.8 * 200 ** -0.07 * 100_000 ** -0.05);
    expect(searchReward(inputs)).toBeCloseTo(0.31047, 5);
  });

  it('takes the weights and the normalising targets as options', () => {
    expect(searchReward(inputs, { kind: 'v2', w: -0.1, v: 0 })).toBe(0.8 * 200 ** -0.1 * 100_000 ** 0);
    expect(searchReward(inputs, { kind: 'v2', stepMsTarget: 100, paramsTarget: 50_000 })).toBe(0.8 * 2 ** -0.07 * 2 ** -0.05);
    expect(searchReward(inputs, { kind: 'v2', w: 0, v: 0 })).toBe(0.8);
  });

  it('is MnasNet\'s ACC · (FLOPS / T)^w for kind v1', () => {
    expect(searchReward(inputs, { kind: 'v1', target: 4e6 })).toBe(0.8 * 2 ** -0.07);
    expect(searchReward(inputs, { kind: 'v1', target: 8e6, w: -0.5 })).toBe(0.8);
  });

  it('refuses an unknown kind and values out of range with typed errors', () => {
    expect(() => searchReward(inputs, { kind: 'v3' } as never)).toThrow(EffnetSearchError);
    expect(() => searchReward({ ...inputs, stepMs: 0 })).toThrow(EffnetError);
    expect(() => searchReward({ ...inputs, accuracy: Number.NaN })).toThrow(EffnetError);
    expect(() => searchReward(inputs, { kind: 'v2', stepMsTarget: -1 })).toThrow(/stepMsTarget/);
  });
});

import { describe, expect, it } from 'vitest';
import { constantLr, cosineLr, exponentialLr, sequenceLr, stepLr, warmup } from './lr-schedules.js';

describe('learning-rate schedules', () => {
  it('cosine decays from base to floor over its steps', () => {
    const lr = cosineLr({ base: 0.1, steps: 100, floor: 0.001 });
    expect(lr(0)).toBe(0.1);
    expect(lr(50)).toBeCloseTo(0.0505, 12);
    expect(lr(100)).toBe(0.001);
    expect(lr(1000)).toBe(0.001);
  });

  it('exponential decay is the EfficientNet recipe: ×0.97 every 2.4 epochs', () => {
    const stepsPerEpoch = 1000;
    const lr = exponentialLr({ base: 0.256, rate: 0.97, every: 2.4 * stepsPerEpoch });
    expect(lr(0)).toBe(0.256);
    expect(lr(2399)).toBe(0.256);
    expect(lr(2400)).toBeCloseTo(0.256 * 0.97, 12);
    expect(lr(24_000)).toBeCloseTo(0.256 * 0.97 ** 10, 12);
  });

  it('step decay multiplies at each boundary; constant stays', () => {
    const lr = stepLr({ base: 1, boundaries: [10, 20], factor: 0.1 });
    expect([lr(0), lr(9), lr(10), lr(19), lr(20)].map((x) => Number(x.toFixed(6)))).toEqual([1, 1, 0.1, 0.1, 0.01]);
    expect(constantLr(0.3)(12345)).toBe(0.3);
  });

  it('warm-up ramps linearly, then hands over; sequences chain', () => {
    const lr = warmup(constantLr(0.4), { steps: 4 });
    expect([0, 1, 2, 3, 4, 100].map(lr)).toEqual([0.1, 0.2, 0.30000000000000004, 0.4, 0.4, 0.4]);
    const seq = sequenceLr([{ steps: 2, schedule: constantLr(1) }, { steps: 10, schedule: cosineLr({ base: 0.5, steps: 10 }) }]);
    expect([seq(0), seq(1), seq(2), seq(12)]).toEqual([1, 1, 0.5, 0]);
  });

  it('rejects bad settings', () => {
    expect(() => cosineLr({ base: 0.1, steps: 0 })).toThrow(/steps: must be a finite number > 0/);
    expect(() => exponentialLr({ base: 0.1, rate: 1.5, every: 10 })).toThrow(/rate: must be in \(0, 1\]/);
    expect(() => stepLr({ base: 1, boundaries: [20, 10], factor: 0.1 })).toThrow(/boundaries: must be increasing/);
    expect(() => constantLr(Number.NaN)).toThrow(/lr:/);
    expect(() => sequenceLr([])).toThrow(/needs at least one schedule/);
  });
});

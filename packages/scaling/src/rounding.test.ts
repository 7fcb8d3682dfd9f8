// roundFilters / roundRepeats / compound against hand-computed values of the spec's formulas.
import { describe, expect, it } from 'vitest';
import { compound, EffnetConfigError, PAPER_COEFFICIENTS, roundFilters, roundRepeats } from './index.js';

function configError(run: () => unknown): EffnetConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EffnetConfigError);
    return error as EffnetConfigError;
  }
  throw new Error('expected an EffnetConfigError');
}

describe('roundFilters', () => {
  it.each([
    [32, 1.0, 32],
    [32, 1.1, 32], // 35.2 → 32, and 32 ≥ 0.9·35.2
    [32, 1.2, 40], // 38.4 → 40
    [320, 1.4, 448],
    [1280, 1.8, 2304],
    [1280, 1.1, 1408],
    [16, 4.3, 72], // 68.8 → 72
    [27, 1.0, 32], // ⌊31⌋//8·8 = 24 < 0.9·27 = 24.3, so the 90 % rule adds 8
    [24, 1.0, 24],
    [3, 1.0, 8], // never below the divisor
  ])('roundFilters(%d, %d) = %d', (channels, width, expected) => {
    expect(roundFilters(channels, width)).toBe(expected);
  });

  it('honours the divisor', () => {
    expect(roundFilters(100, 1, 16)).toBe(96);
    expect(roundFilters(100, 1, 4)).toBe(100);
    expect(roundFilters(5, 1, 16)).toBe(16);
  });

  it('rejects non-positive or non-finite arguments, naming the field', () => {
    expect(configError(() => roundFilters(32, 0)).field).toBe('width');
    expect(configError(() => roundFilters(32, -1.1)).field).toBe('width');
    expect(configError(() => roundFilters(32, Number.NaN)).field).toBe('width');
    expect(configError(() => roundFilters(32, Infinity)).field).toBe('width');
    expect(configError(() => roundFilters(0, 1)).field).toBe('channels');
    expect(configError(() => roundFilters(32, 1, 0)).field).toBe('divisor');
    expect(configError(() => roundFilters(32, 1, 2.5)).field).toBe('divisor');
  });
});

describe('roundRepeats', () => {
  it.each([
    [1, 1.0, 1],
    [3, 1.1, 4],
    [2, 1.2, 3],
    [4, 3.1, 13],
    [1, 3.1, 4],
    [15, 1.0, 15],
  ])('roundRepeats(%d, %d) = %d', (repeats, depth, expected) => {
    expect(roundRepeats(repeats, depth)).toBe(expected);
  });

  it('rejects bad repeats and depth', () => {
    expect(configError(() => roundRepeats(0, 1)).field).toBe('repeats');
    expect(configError(() => roundRepeats(1.5, 1)).field).toBe('repeats');
    expect(configError(() => roundRepeats(2, 0)).field).toBe('depth');
    expect(configError(() => roundRepeats(2, -1)).field).toBe('depth');
  });
});

describe('compound', () => {
  it('gives the paper multipliers at φ = 1 and the base network at φ = 0', () => {
    expect(compound(1)).toEqual({ depth: 1.2, width: 1.1, resolution: 1.15 });
    expect(compound(0)).toEqual({ depth: 1, width: 1, resolution: 1 });
    expect(PAPER_COEFFICIENTS).toEqual({ alpha: 1.2, beta: 1.1, gamma: 1.15 });
  });

  it('raises each base to φ', () => {
    const m = compound(3);
    expect(m.depth).toBeCloseTo(1.728, 12);
    expect(m.width).toBeCloseTo(1.331, 12);
    expect(m.resolution).toBeCloseTo(1.520875, 12);
    // FLOPs grow by (α·β²·γ²)^φ.
    expect(m.depth * m.width ** 2 * m.resolution ** 2).toBeCloseTo((1.2 * 1.1 ** 2 * 1.15 ** 2) ** 3, 10);
  });

  it('takes other coefficients', () => {
    expect(compound(2, { alpha: 1.5 })).toEqual({ depth: 2.25, width: 1.1 ** 2, resolution: 1.15 ** 2 });
  });

  it('rejects a negative or non-finite φ and coefficients below 1', () => {
    expect(configError(() => compound(-1)).field).toBe('phi');
    expect(configError(() => compound(Number.NaN)).field).toBe('phi');
    expect(configError(() => compound(Infinity)).field).toBe('phi');
    expect(configError(() => compound(1, { alpha: 0.9 })).field).toBe('alpha');
    expect(configError(() => compound(1, { beta: 0 })).field).toBe('beta');
    expect(configError(() => compound(1, { gamma: Number.NaN })).field).toBe('gamma');
  });
});

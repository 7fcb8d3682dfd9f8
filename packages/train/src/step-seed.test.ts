// stepSeed: deterministic, 31-bit, and not symmetric in seed and step.
import { describe, expect, it } from 'vitest';
import { stepSeed } from './step-seed.js';

describe('stepSeed', () => {
  it('is a pure 31-bit function of seed and step', () => {
    expect(stepSeed(7, 3)).toBe(stepSeed(7, 3));
    for (const [seed, step] of [[0, 0], [1, 2], [2 ** 31 - 1, 123456], [-5, 9]]) {
      const value = stepSeed(seed!, step!);
      expect(Number.isInteger(value) && value >= 0 && value < 2 ** 31).toBe(true);
    }
  });

  it('gives seeds s and s′ different streams at shifted steps (the seed is hashed before the step is mixed in)', () => {
    expect(stepSeed(1, 2)).not.toBe(stepSeed(2, 1));
    expect(stepSeed(0, 3)).not.toBe(stepSeed(3, 0));
    // No collisions between the first 64 seeds' first 64 steps.
    const seen = new Set<number>();
    for (let seed = 0; seed < 64; seed++) for (let step = 0; step < 64; step++) seen.add(stepSeed(seed, step));
    expect(seen.size).toBe(64 * 64);
  });
});

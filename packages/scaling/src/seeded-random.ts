// A small seeded pseudo-random generator (32-bit state, SplitMix32-style mixing) so samplers are
// reproducible in Node and browsers without dependencies. Not for cryptography.
import { EffnetConfigError } from './errors.js';

/** A reproducible source of uniform numbers. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(choices: readonly T[]): T;
}

/**
 * Creates a generator from an integer seed; the same seed gives the same sequence.
 *
 * @param seed - Any safe integer.
 * @returns The generator.
 * @throws EffnetConfigError when `seed` is not a safe integer.
 */
export function seededRandom(seed: number): SeededRandom {
  if (!Number.isSafeInteger(seed)) throw new EffnetConfigError('seed', `seed must be a safe integer, got ${String(seed)}`);
  // Fold the high bits in so seeds above 2^32 still differ.
  let state = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 2 ** 32;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(choices: readonly T[]): T => choices[int(choices.length)],
  };
}

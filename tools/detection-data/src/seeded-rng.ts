// The generator's random source: @effnet/train's seeded mulberry32 stream (the same bytes for the
// same seed on every machine and Node version) with the two draws the shape generator needs.
import { SeededRandom } from '@effnet/train';

/** Deterministic pseudo-random numbers from a 32-bit seed. */
export class SeededRng extends SeededRandom {
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number {
    return lo + this.nextInt(hi - lo + 1);
  }
}

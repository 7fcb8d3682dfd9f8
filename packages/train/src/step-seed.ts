// Seeds derived from the run's seed and the step: every random choice of a step (data order of its
// epoch, augmentation, dropout masks) depends on these alone, so a resumed run continues exactly.

/** One round of a 32-bit integer hash (murmur3's finaliser). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Mixes the seed and the step into a 31-bit seed for one step's random choices. The seed is
 * hashed before the step is mixed in, so `stepSeed(1, 2)` and `stepSeed(2, 1)` differ: two seeds
 * never share data orders or masks at shifted steps.
 */
export function stepSeed(seed: number, step: number): number {
  return mix((mix((seed ^ 0x9e3779b9) >>> 0) ^ step) >>> 0) & 0x7fffffff;
}

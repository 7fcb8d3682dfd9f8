// Seeds derived from the run's seed and the step: every random choice of a step (data order of its
// epoch, augmentation, dropout masks) depends on these alone, so a resumed run continues exactly.

/** Mixes the seed and the step into a 31-bit seed for one step's random choices. */
export function stepSeed(seed: number, step: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ step, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

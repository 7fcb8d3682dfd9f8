// The one seeded generator of effnet: a mulberry32 stream of uniforms, normals by Box–Muller,
// Gamma by Marsaglia–Tsang and Beta as a ratio of Gammas. Data order and splits (@effnet/train's
// shuffledIndices), every random choice of an augmentation (which op, its sign, λ, crop boxes) and
// the detection generator draw from it in JavaScript, never with tf.random or Math.random, so the
// same seed gives the same numbers on every backend and machine.

/** A seeded stream of random numbers. */
export class SeededRandom {
  private state: number;
  private spareNormal: number | undefined;

  /** Starts the stream from a 32-bit seed. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform number in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** The stream position, for checkpoints (a normal kept for the next call is not part of it). */
  getState(): number {
    return this.state;
  }

  /** Continues the stream from a position saved by {@link SeededRandom.getState}. */
  setState(state: number): void {
    this.state = state >>> 0;
    this.spareNormal = undefined;
  }

  /** A standard normal number. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A Gamma(shape, 1) number (Marsaglia and Tsang; shape < 1 by the U^(1/shape) boost). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * (1 - this.uniform()) ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** A Beta(a, b) number. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x + y === 0 ? 0.5 : x / (x + y);
  }
}

/** A 32-bit seed derived from a base seed and a call number (so each call of an augmentation differs). */
export function deriveSeed(seed: number, call: number): number {
  let h = (seed >>> 0) ^ Math.imul((call >>> 0) + 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

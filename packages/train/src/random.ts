// A small seeded PRNG (mulberry32) and a Fisher-Yates shuffle: data order and splits depend on
// the seed alone, never on Math.random or the backend, so runs and resumes are reproducible.

/** A seeded source of uniform numbers in [0, 1) whose state can be saved and restored. */
export class SeededRandom {
  private state: number;

  /** Starts the generator from a 32-bit seed. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** The internal state, for checkpoints. */
  getState(): number {
    return this.state;
  }

  /** Restores a state saved by `getState`. */
  setState(state: number): void {
    this.state = state >>> 0;
  }
}

/** The indices 0…n-1 in an order fixed by `seed`. */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = new SeededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

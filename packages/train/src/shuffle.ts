// Data order: a Fisher-Yates shuffle driven by @effnet/schedules' seeded generator, so data order
// and splits depend on the seed alone, never on Math.random or the backend, and runs and resumes
// are reproducible.
import { SeededRandom } from '@effnet/schedules';

/** The indices 0…n-1 in an order fixed by `seed`. */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = new SeededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

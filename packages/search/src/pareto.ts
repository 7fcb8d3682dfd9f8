// The Pareto front of a search: the candidates no other candidate beats on both axes (higher
// accuracy and lower cost, e.g. step time or parameters), as the report plots them.

/**
 * The points not dominated by any other: no other point has accuracy ≥ and cost ≤ with one of the
 * two strict. Equal points are all kept. Returned in increasing cost.
 *
 * @param points - The candidates.
 * @param cost - The cost to minimise (e.g. `(r) => r.stepMs`).
 * @param accuracy - The score to maximise (e.g. `(r) => r.accuracy`).
 */
export function paretoFront<T>(points: readonly T[], cost: (p: T) => number, accuracy: (p: T) => number): T[] {
  const front = points.filter((p) => !points.some((q) => cost(q) <= cost(p) && accuracy(q) >= accuracy(p) && (cost(q) < cost(p) || accuracy(q) > accuracy(p))));
  return front.sort((a, b) => cost(a) - cost(b) || accuracy(b) - accuracy(a));
}

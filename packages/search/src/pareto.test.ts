import { describe, expect, it } from 'vitest';
import { paretoFront } from './pareto.js';

describe('paretoFront', () => {
  it('keeps exactly the points no other beats on both cost and accuracy, cheapest first', () => {
    const points = [
      { id: 'a', ms: 10, acc: 0.5 },
      { id: 'b', ms: 20, acc: 0.7 },
      { id: 'c', ms: 25, acc: 0.6 }, // dominated by b
      { id: 'd', ms: 30, acc: 0.9 },
      { id: 'e', ms: 10, acc: 0.4 }, // dominated by a (same cost, lower accuracy)
      { id: 'f', ms: 40, acc: 0.9 }, // dominated by d (same accuracy, higher cost)
      { id: 'g', ms: 20, acc: 0.7 }, // equal to b: kept
    ];
    expect(paretoFront(points, (p) => p.ms, (p) => p.acc).map((p) => p.id)).toEqual(['a', 'b', 'g', 'd']);
  });

  it('gives an empty front for no points and the point itself for one', () => {
    expect(paretoFront([], (p: number) => p, (p) => p)).toEqual([]);
    expect(paretoFront([{ c: 1, a: 0 }], (p) => p.c, (p) => p.a)).toEqual([{ c: 1, a: 0 }]);
  });
});

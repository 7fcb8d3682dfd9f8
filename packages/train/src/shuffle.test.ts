import { describe, expect, it } from 'vitest';
import { shuffledIndices } from './shuffle.js';

describe('shuffledIndices', () => {
  it('gives the pinned Fisher-Yates order of the seeded stream', () => {
    expect(Array.from(shuffledIndices(10, 3))).toEqual([9, 5, 6, 1, 2, 4, 8, 3, 0, 7]);
  });
});

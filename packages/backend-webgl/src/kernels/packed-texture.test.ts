import { describe, expect, it } from 'vitest';
import { packTexels } from './packed-texture.js';

describe('packTexels', () => {
  it("lays [batch, rows, cols] out as tfjs's packed textures hold it: 2 × 2 blocks along the row, then down, then batch after batch, 0 past the edges", () => {
    // Two batch entries of 3 × 3: values 100·b + 10·r + c.
    const values = Float32Array.from({ length: 18 }, (_, i) => 100 * Math.floor(i / 9) + 10 * Math.floor((i % 9) / 3) + (i % 3));
    const texels = Array.from(packTexels(values, [2, 3, 3], 9));
    // Per batch: ⌈3/2⌉ = 2 blocks across, 2 down; one texel left over at the end.
    expect(texels).toEqual([
      0, 1, 10, 11, /**/ 2, 0, 12, 0,
      20, 21, 0, 0, /**/ 22, 0, 0, 0,
      100, 101, 110, 111, /**/ 102, 0, 112, 0,
      120, 121, 0, 0, /**/ 122, 0, 0, 0,
      0, 0, 0, 0,
    ]);
  });

  it('takes a vector as one row (its upper lanes only)', () => {
    expect(Array.from(packTexels(Float32Array.of(1, 2, 3), [1, 1, 3], 2))).toEqual([1, 2, 0, 0, 3, 0, 0, 0]);
  });
});

// Anchors: counts per level, the exact boxes of the first cell worked out by hand, and the
// preset's settings (3 scales × 3 ratios, anchor scale 4).
import { preset } from '@effnet/scaling';
import { describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { anchorConfig, featureSizes, generateAnchors } from './anchors.js';

describe('generateAnchors', () => {
  const d0 = anchorConfig(preset('efficientdet-d0'));

  it('D0 uses 3 scales × 3 ratios with anchor scale 4 on P3-P7', () => {
    expect(d0.anchorScale).toBe(4);
    expect(d0.scales).toEqual([1, 2 ** (1 / 3), 2 ** (2 / 3)]);
    expect(d0.aspectRatios).toEqual([[1, 1], [1.4, 0.7], [0.7, 1.4]]);
    expect([d0.minLevel, d0.maxLevel]).toEqual([3, 7]);
  });

  it('lays 9 anchors on every cell of every level (512 px: 64² + 32² + 16² + 8² + 4² cells)', () => {
    const anchors = generateAnchors(d0, 512);
    expect(anchors.levelSizes).toEqual([[64, 64], [32, 32], [16, 16], [8, 8], [4, 4]]);
    expect(anchors.perLocation).toBe(9);
    expect(anchors.count).toBe(9 * (4096 + 1024 + 256 + 64 + 16));
    expect(anchors.levelOffsets).toEqual([0, 36864, 46080, 48384, 48960, 49104]);
    expect(anchors.boxes.length).toBe(4 * anchors.count);
  });

  it('first cell of P3 (stride 8, centre 4,4): sizes 32·scale, ratios as (w, h) multipliers', () => {
    const { boxes } = generateAnchors(d0, 512);
    const expected: number[][] = [];
    for (const s of [1, 2 ** (1 / 3), 2 ** (2 / 3)]) {
      for (const [rw, rh] of [[1, 1], [1.4, 0.7], [0.7, 1.4]] as const) {
        const h = (32 * s * rh) / 2;
        const w = (32 * s * rw) / 2;
        expected.push([4 - h, 4 - w, 4 + h, 4 + w]);
      }
    }
    for (let i = 0; i < 9; i++) {
      for (let c = 0; c < 4; c++) expect(boxes[4 * i + c]).toBeCloseTo(expected[i]![c]!, 4);
    }
    // The first square anchor: [−12, −12, 20, 20].
    expect(Array.from(boxes.slice(0, 4))).toEqual([-12, -12, 20, 20]);
  });

  it('the last anchor is P7’s bottom-right cell (stride 128, centre 448) at scale 2^(2/3), ratio (0.7, 1.4)', () => {
    const { boxes, count } = generateAnchors(d0, 512);
    const base = 4 * 128 * 2 ** (2 / 3);
    const last = Array.from(boxes.slice(4 * (count - 1)));
    const expected = [448 - (base * 1.4) / 2, 448 - (base * 0.7) / 2, 448 + (base * 1.4) / 2, 448 + (base * 0.7) / 2];
    last.forEach((v, c) => expect(v).toBeCloseTo(expected[c]!, 3));
  });

  it('non-square and odd inputs round every level up, as stride-2 "same" layers do', () => {
    expect(featureSizes(100, 60, 3, 5)).toEqual([[13, 8], [7, 4], [4, 2]]);
    const anchors = generateAnchors({ minLevel: 3, maxLevel: 4, anchorScale: 4, scales: [1], aspectRatios: [[1, 1]] }, 64, 32);
    expect(anchors.count).toBe(8 * 4 + 4 * 2);
    expect([anchors.height, anchors.width]).toEqual([64, 32]);
  });

  it('rejects bad settings with a typed error', () => {
    expect(() => generateAnchors({ ...d0, minLevel: 5, maxLevel: 3 }, 64)).toThrow(EffnetModelError);
    expect(() => generateAnchors({ ...d0, scales: [] }, 64)).toThrow(/at least one scale/);
    expect(() => generateAnchors(d0, 0)).toThrow(EffnetModelError);
  });
});

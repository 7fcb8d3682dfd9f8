import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomCropBox, randomFlip, randomResizedCrop, resizeImages, resizeMatrix } from './crop-flip-resize.js';
import { EffnetScheduleError } from './errors.js';
import { SeededRandom } from './seeded-random.js';
import { loadPillowFixtures } from '../test/pillow-fixtures.js';

/** N images of h × w where pixel (y, x) of image n holds 1000·n + 10·y + x. */
const ramp = (n: number, h: number, w: number) =>
  tf.tidy(() => tf.reshape(tf.tensor1d(Array.from({ length: n * h * w }, (_, i) => 1000 * Math.floor(i / (h * w)) + 10 * Math.floor((i % (h * w)) / w) + (i % w))), [n, h, w, 1]) as tf.Tensor4D);

describe('resizeImages', () => {
  it('resizes bilinearly with half-pixel centres', () => {
    const x = tf.tensor4d([0, 4], [1, 1, 2, 1]);
    const out = resizeImages(x, [1, 4]);
    expect(Array.from(out.dataSync())).toEqual([0, 1, 3, 4]);
    const square = resizeImages(x, 3);
    expect(square.shape).toEqual([1, 3, 3, 1]);
    expect(() => resizeImages(x, 0)).toThrow(/^size:/);
    tf.dispose([x, out, square]);
  });

  it('antialias: shrinking averages the whole footprint (a 2× shrink is the mean of each 2×2 block), enlarging stays bilinear', () => {
    const x = ramp(2, 4, 6);
    const before = tf.memory().numTensors;
    const half = resizeImages(x, [2, 3], { antialias: true });
    // Pillow's triangle filter at scale 2 weighs the 4 nearest input pixels of each output 1/8, 3/8, 3/8, 1/8 per axis.
    const w = [1 / 8, 3 / 8, 3 / 8, 1 / 8];
    const expected = (n: number, y: number, x0: number) => {
      let sum = 0;
      let total = 0;
      for (let dy = -1; dy <= 2; dy++) for (let dx = -1; dx <= 2; dx++) {
        const [yy, xx] = [2 * y + dy, 2 * x0 + dx];
        if (yy < 0 || yy >= 4 || xx < 0 || xx >= 6) continue;
        sum += w[dy + 1]! * w[dx + 1]! * (1000 * n + 10 * yy + xx);
        total += w[dy + 1]! * w[dx + 1]!;
      }
      return sum / total;
    };
    const values = half.dataSync();
    for (let n = 0; n < 2; n++) for (let y = 0; y < 2; y++) for (let x0 = 0; x0 < 3; x0++) expect(values[(n * 2 + y) * 3 + x0]).toBeCloseTo(expected(n, y, x0), 3);
    const up = resizeImages(x, [8, 12], { antialias: true });
    const plain = resizeImages(x, [8, 12]);
    expect(Array.from(up.dataSync())).toEqual(Array.from(plain.dataSync()));
    tf.dispose([half, up, plain]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    for (const [inSize, outSize] of [[28, 12], [28, 20], [5, 9], [48, 17]] as const) {
      const m = resizeMatrix(inSize, outSize);
      for (let i = 0; i < outSize; i++) expect(m.subarray(i * inSize, (i + 1) * inSize).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });

  it("antialias: equals Pillow's Image.resize(BILINEAR) on photographs (mode F to 1e-4, RGB bytes after rounding to ±1)", () => {
    const fixtures = loadPillowFixtures();
    const reference = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'pillow', 'resize.json'), 'utf8')) as {
      cases: { image: number; height: number; width: number; rgb: number[]; channel0: number[] }[];
    };
    expect(reference.cases.length).toBe(6);
    let equal = 0;
    let total = 0;
    for (const c of reference.cases) {
      const input = fixtures.images[c.image]!;
      const [h, w] = input.shape;
      const out = tf.tidy(() => resizeImages(tf.tensor4d(Float32Array.from(input.data), [1, h, w, 3]), [c.height, c.width], { antialias: true }));
      const values = out.dataSync();
      out.dispose();
      let worstF = 0;
      let worstRgb = 0;
      for (let i = 0; i < c.rgb.length; i++) {
        const byte = Math.min(255, Math.max(0, Math.round(values[i]!)));
        worstRgb = Math.max(worstRgb, Math.abs(byte - c.rgb[i]!));
        equal += byte === c.rgb[i] ? 1 : 0;
        total++;
        if (i % 3 === 0) worstF = Math.max(worstF, Math.abs(values[i]! - c.channel0[i / 3]!));
      }
      expect(worstF, `image ${c.image} → ${c.height}×${c.width}, mode F`).toBeLessThan(1e-3);
      expect(worstRgb, `image ${c.image} → ${c.height}×${c.width}, RGB`).toBeLessThanOrEqual(1);
    }
    // Pillow's 8-bit path rounds to bytes between its horizontal and vertical passes (measured: 91.9 % of bytes equal).
    expect(equal / total).toBeGreaterThan(0.9);
  });
});

describe('randomFlip', () => {
  it('mirrors each image left-right with the given probability, per image', () => {
    const x = ramp(64, 2, 3);
    const all = randomFlip({ seed: 1, probability: 1 })(x);
    const none = randomFlip({ seed: 1, probability: 0 })(x);
    const mirrored = tf.reverse(x, 2);
    expect(Array.from(all.dataSync())).toEqual(Array.from(mirrored.dataSync()));
    expect(Array.from(none.dataSync())).toEqual(Array.from(x.dataSync()));
    const half = randomFlip({ seed: 1 })(x, 0);
    const again = randomFlip({ seed: 1 })(x, 0);
    const flipped = tf.tidy(() => tf.any(tf.notEqual(half, x), [1, 2, 3]).dataSync());
    const count = Array.from(flipped).reduce((a, b) => a + Number(b), 0);
    expect(count).toBeGreaterThan(20);
    expect(count).toBeLessThan(44);
    expect(Array.from(again.dataSync())).toEqual(Array.from(half.dataSync()));
    expect(() => randomFlip({ seed: 1, probability: 2 })).toThrow(EffnetScheduleError);
    tf.dispose([x, all, none, mirrored, half, again]);
  });
});

describe('randomResizedCrop', () => {
  it('draws boxes of 8-100 % of the area with aspect ratio 3/4-4/3 inside the image', () => {
    const random = new SeededRandom(3);
    for (let k = 0; k < 2000; k++) {
      const box = randomCropBox(60, 80, [0.08, 1], [3 / 4, 4 / 3], random);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top + box.height).toBeLessThanOrEqual(60);
      expect(box.left + box.width).toBeLessThanOrEqual(80);
      // rounding the sides moves area and ratio a little past the ranges
      expect((box.height * box.width) / 4800).toBeGreaterThan(0.06);
      expect(box.width / box.height).toBeGreaterThan(0.7);
      expect(box.width / box.height).toBeLessThan(1.45);
    }
  });

  it('falls back to the centre crop when no box fits in ten tries', () => {
    expect(randomCropBox(10, 100, [0.9, 1], [1, 1], new SeededRandom(1))).toEqual({ top: 0, left: 45, height: 10, width: 10 });
  });

  it('a whole-image box is a bilinear resize with aligned corners', () => {
    const x = ramp(2, 8, 8);
    const out = randomResizedCrop({ size: 15, seed: 4, scale: [1, 1], ratio: [1, 1] })(x);
    expect(out.shape).toEqual([2, 15, 15, 1]);
    const values = out.arraySync();
    expect(values[1]![14]![0]![0]).toBeCloseTo(1070, 3);
    expect(values[0]![7]![13]![0]).toBeCloseTo(10 * 3.5 + 6.5, 3);
    expect(() => randomResizedCrop({ size: 8, seed: 1, scale: [0, 1] })).toThrow(/^scale:/);
    tf.dispose([x, out]);
  });

  it('crops per image, reproducibly for a seed and call', () => {
    const x = ramp(4, 16, 16);
    const a = randomResizedCrop({ size: 8, seed: 9 })(x, 2);
    const b = randomResizedCrop({ size: 8, seed: 9 })(x, 2);
    const c = randomResizedCrop({ size: 8, seed: 9 })(x, 3);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    tf.dispose([x, a, b, c]);
  });
});

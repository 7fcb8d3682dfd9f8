// The generator: exact boxes (the painted pixels' bounding box), same seed → same bytes, different
// seed → different images, shapes inside the image and apart, real photographs underneath.
import { describe, expect, it } from 'vitest';
import { generateDetectionSet } from './generate.js';
import { loadPhotographs, PHOTOGRAPH_PACKAGES } from './photographs.js';
import { SHAPE_CLASSES, drawShape, saturatedColour } from './shapes.js';

const photographs = await loadPhotographs(240);

describe('drawShape', () => {
  it.each(SHAPE_CLASSES)('%s: the returned box is the bounding box of the painted pixels', (shape) => {
    const size = 40;
    const image = new Uint8Array(size * size * 3);
    const box = drawShape(image, size, shape, 5.3, 7.8, 20.4, [255, 0, 0])!;
    let yMin = Infinity;
    let xMin = Infinity;
    let yMax = -Infinity;
    let xMax = -Infinity;
    let painted = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (image[3 * (y * size + x)] !== 255) continue;
        painted++;
        yMin = Math.min(yMin, y);
        xMin = Math.min(xMin, x);
        yMax = Math.max(yMax, y + 1);
        xMax = Math.max(xMax, x + 1);
      }
    }
    expect(box).toEqual([yMin, xMin, yMax, xMax]);
    // Areas: square ≈ 20.4², circle ≈ π·10.2², triangle ≈ 20.4²/2.
    const expected = { square: 20.4 ** 2, circle: Math.PI * 10.2 ** 2, triangle: 20.4 ** 2 / 2 }[shape];
    expect(Math.abs(painted - expected) / expected).toBeLessThan(0.1);
  });

  it('clips to the image and reports nothing when nothing is painted', () => {
    const image = new Uint8Array(10 * 10 * 3);
    expect(drawShape(image, 10, 'square', 6, 6, 8, [1, 2, 3])).toEqual([6, 6, 10, 10]);
    expect(drawShape(image, 10, 'square', 20, 20, 5, [1, 2, 3])).toBeNull();
  });

  it('saturated colours: hue 0 is red, 1/3 green, 2/3 blue', () => {
    expect(saturatedColour(0, 1)).toEqual([255, 0, 0]);
    expect(saturatedColour(1 / 3, 1)).toEqual([0, 255, 0]);
    expect(saturatedColour(2 / 3, 1)).toEqual([0, 0, 255]);
  });
});

describe('generateDetectionSet', () => {
  it('uses the three @stdlib photographs', () => {
    expect(photographs.map((p) => p.name)).toEqual([...PHOTOGRAPH_PACKAGES]);
    for (const p of photographs) expect(Math.max(p.width, p.height)).toBe(240);
  });

  it('same seed, same bytes and boxes; another seed, other images', () => {
    const a = generateDetectionSet(photographs, { count: 6, size: 64, seed: 11 });
    const b = generateDetectionSet(photographs, { count: 6, size: 64, seed: 11 });
    const c = generateDetectionSet(photographs, { count: 6, size: 64, seed: 12 });
    expect(b).toEqual(a);
    expect(c.map((s) => Array.from(s.pixels.slice(0, 30)))).not.toEqual(a.map((s) => Array.from(s.pixels.slice(0, 30))));
  });

  it('1-3 shapes per image, inside it, apart, with valid classes and sides of 30-50 % of the image', () => {
    const samples = generateDetectionSet(photographs, { count: 40, size: 96, seed: 3 });
    for (const { boxes, pixels } of samples) {
      expect(pixels.length).toBe(96 * 96 * 3);
      expect(boxes.length).toBeGreaterThanOrEqual(1);
      expect(boxes.length).toBeLessThanOrEqual(3);
      boxes.forEach(({ box: [y0, x0, y1, x1], classId }, i) => {
        expect(classId).toBeGreaterThanOrEqual(0);
        expect(classId).toBeLessThan(3);
        expect(y0).toBeGreaterThanOrEqual(0);
        expect(y1).toBeLessThanOrEqual(96);
        expect(Math.max(y1 - y0, x1 - x0)).toBeGreaterThanOrEqual(Math.floor(0.3 * 96) - 1);
        expect(Math.max(y1 - y0, x1 - x0)).toBeLessThanOrEqual(Math.ceil(0.5 * 96) + 1);
        for (const other of boxes.slice(i + 1)) {
          const [p0, q0, p1, q1] = other.box;
          expect(y0 < p1 && p0 < y1 && x0 < q1 && q0 < x1).toBe(false);
        }
      });
    }
    // Every class occurs.
    expect(new Set(samples.flatMap((s) => s.boxes.map((b) => b.classId))).size).toBe(3);
  });

  it('backgrounds are photographs, not flat fills: many distinct colours per image', () => {
    const [sample] = generateDetectionSet(photographs, { count: 1, size: 96, seed: 5, minShapes: 0, maxShapes: 0 });
    const colours = new Set<number>();
    for (let i = 0; i < sample!.pixels.length; i += 3) colours.add((sample!.pixels[i]! << 16) | (sample!.pixels[i + 1]! << 8) | sample!.pixels[i + 2]!);
    expect(colours.size).toBeGreaterThan(500);
  });

  it('rejects bad counts, sizes and sides', () => {
    expect(() => generateDetectionSet(photographs, { count: 0, seed: 1 })).toThrow(RangeError);
    expect(() => generateDetectionSet(photographs, { count: 1, size: 8, seed: 1 })).toThrow(/size/);
    expect(() => generateDetectionSet(photographs, { count: 1, seed: 1, minSide: 0.6, maxSide: 0.5 })).toThrow(/minSide/);
    expect(() => generateDetectionSet([], { count: 1, seed: 1 })).toThrow(/photograph/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EffnetDataError, InMemoryDataset } from '@effnet/train';
import { fashionMnistCanvas, placeOnCanvas } from './canvas-placement.js';

/** The pattern of tools/fixtures/pillow_enlarge_reference.py. */
const pattern = Uint8Array.from({ length: 28 * 28 }, (_, i) => {
  const [y, x] = [Math.floor(i / 28), i % 28];
  return (37 * x + 11 * y + ((x * y) % 23)) % 256;
});
const one = new InMemoryDataset({ name: 'pattern/train', images: pattern, labels: new Int32Array([3]), imageShape: [28, 28, 1], classNames: ['a', 'b', 'c', 'd'] });
const pillow = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/pillow-enlarge.json'), 'utf8')) as { pillow: string; sizes: Record<string, number[]> };

describe('placeOnCanvas', () => {
  it.each([36, 50])(`enlarges as Pillow ${pillow.pillow}'s BILINEAR resize does to %i px, within one grey level`, (side) => {
    const placed = placeOnCanvas(one, { size: side, minObject: side, maxObject: side });
    const ours = Array.from(placed.example(0).image);
    const diffs = ours.map((v, i) => Math.abs(v - pillow.sizes[String(side)]![i]!));
    expect(Math.max(...diffs)).toBeLessThanOrEqual(1);
    expect(diffs.filter((d) => d > 0).length / diffs.length).toBeLessThan(0.2);
    expect([placed.name, placed.example(0).label, placed.imageShape]).toEqual([`pattern-${side}/train`, 3, [side, side, 1]]);
  });

  it('places the object inside a blank canvas, the same for the same seed', () => {
    const a = placeOnCanvas(one, { size: 64, minObject: 40, maxObject: 40, seed: 5 });
    const b = placeOnCanvas(one, { size: 64, minObject: 40, maxObject: 40, seed: 5 });
    expect(a.example(0).image).toEqual(b.example(0).image);
    const image = a.example(0).image;
    const rows = Array.from({ length: 64 }, (_, y) => image.subarray(y * 64, y * 64 + 64).some((v) => v > 0));
    const cols = Array.from({ length: 64 }, (_, x) => Array.from({ length: 64 }, (_, y) => image[y * 64 + x]!).some((v) => v > 0));
    const span = (flags: boolean[]) => flags.lastIndexOf(true) - flags.indexOf(true) + 1;
    expect([span(rows), span(cols)]).toEqual([40, 40]);
  });

  it('builds Fashion-MNIST at 64 px with train and test drawn apart, and refuses bad sizes', () => {
    const train = fashionMnistCanvas({ split: 'train', limitPerClass: 2 });
    const test = fashionMnistCanvas({ split: 'test', limitPerClass: 2 });
    expect([train.name, train.size, train.imageShape, test.name]).toEqual(['fashion-mnist-64/train', 20, [64, 64, 1], 'fashion-mnist-64/test']);
    expect(() => placeOnCanvas(one, { size: 20 })).toThrow(EffnetDataError);
    expect(() => placeOnCanvas(one, { size: 64, minObject: 50, maxObject: 40 })).toThrow(/minObject/);
  });
});

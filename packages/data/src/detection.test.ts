// DetectionDataset and detectionFolder: batches carry each image's bytes and boxes in the seeded
// order, bad boxes and sizes are refused with the example named, and an effnet-detection folder
// written here reads back to the same pixels and boxes.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetDataError, shuffledIndices } from '@effnet/train';
import { DetectionDataset, detectionFolder } from './detection.js';
import type { DetectionBox } from './detection-format.js';

const shape: [number, number, number] = [4, 6, 3];
const images = [0, 1, 2, 3, 4].map((i) => new Uint8Array(4 * 6 * 3).fill(i * 10));
const boxes: DetectionBox[][] = [0, 1, 2, 3, 4].map((i) => (i === 2 ? [] : [{ box: [0, i, 2, i + 1], classId: i % 2 }]));

describe('DetectionDataset', () => {
  it('yields bytes and boxes in the seeded order, dropping a short last batch when asked', async () => {
    const data = new DetectionDataset({ name: 'toy', images, boxes, imageShape: shape, classNames: ['a', 'b'] });
    expect(data.size).toBe(5);
    const order = Array.from(shuffledIndices(5, 11));
    const seen: number[] = [];
    const counts: number[] = [];
    for await (const batch of data.batches({ batchSize: 2, seed: 11, dropLast: true })) {
      counts.push(batch.count);
      expect(batch.imageShape).toEqual(shape);
      expect(batch.images.length).toBe(batch.count * 72);
      for (let i = 0; i < batch.count; i++) {
        const index = batch.images[i * 72]! / 10;
        seen.push(index);
        expect(batch.boxes[i]).toEqual(boxes[index]);
      }
    }
    expect(counts).toEqual([2, 2]);
    expect(seen).toEqual(order.slice(0, 4));
    const unshuffled = [];
    for await (const batch of data.batches({ batchSize: 2 })) unshuffled.push(batch.count);
    expect(unshuffled).toEqual([2, 2, 1]);
  });

  it('names the bad example: wrong byte count, box outside the image, unknown class', () => {
    const make = (over: Partial<ConstructorParameters<typeof DetectionDataset>[0]>) => () =>
      new DetectionDataset({ name: 'toy', images, boxes, imageShape: shape, classNames: ['a', 'b'], ...over });
    expect(make({ images: [...images.slice(0, 4), new Uint8Array(5)] })).toThrow(/toy: image 4 has 5 bytes, not 4×6×3/);
    expect(make({ boxes: [...boxes.slice(0, 4), [{ box: [0, 0, 5, 1], classId: 0 }]] })).toThrow(/image 4 box 0 \[0, 0, 5, 1\] must satisfy 0 ≤ yMin < yMax ≤ 4/);
    expect(make({ classNames: ['a'] })).toThrow(/image 1 box 0 has classId 1; class ids index 1 class names/);
    expect(make({ boxes: boxes.slice(0, 3) })).toThrow(EffnetDataError);
  });
});

describe('detectionFolder (the effnet-detection format)', () => {
  const root = mkdtempSync(join(tmpdir(), 'effnet-detection-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function writeSet(folder: string, sizes: [number, number][], extra: object = {}): Promise<Uint8Array[]> {
    mkdirSync(join(folder, 'images'), { recursive: true });
    const pixels: Uint8Array[] = [];
    const entries = [];
    for (const [i, [h, w]] of sizes.entries()) {
      const raw = Uint8Array.from({ length: h * w * 3 }, (_, k) => (k * 7 + i * 31) % 256);
      pixels.push(raw);
      await sharp(Buffer.from(raw), { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(folder, 'images', `${i}.png`));
      entries.push({ file: `images/${i}.png`, height: h, width: w, boxes: [{ box: [1, 1, 3, 2 + i], classId: i }] });
    }
    writeFileSync(join(folder, 'annotations.json'), JSON.stringify({ format: 'effnet-detection', version: 1, classes: ['circle', 'square'], images: entries, ...extra }));
    return pixels;
  }

  it('reads PNGs and boxes back exactly', async () => {
    const folder = join(root, 'good');
    const pixels = await writeSet(folder, [[4, 5], [4, 5]]);
    const data = await detectionFolder(folder);
    expect(data.size).toBe(2);
    expect(data.imageShape).toEqual([4, 5, 3]);
    expect(data.classNames).toEqual(['circle', 'square']);
    expect(Array.from(data.example(1).image)).toEqual(Array.from(pixels[1]!));
    expect(data.example(0).boxes).toEqual([{ box: [1, 1, 3, 2], classId: 0 }]);
  });

  it('refuses other formats, mixed sizes and missing files with what to do', async () => {
    const mixed = join(root, 'mixed');
    await writeSet(mixed, [[4, 5], [6, 5]]);
    await expect(detectionFolder(mixed)).rejects.toThrow(/images\[1\] is 5×6, images\[0\] is 5×4; every image must have one size/);
    const other = join(root, 'other');
    await writeSet(other, [[4, 5]], { format: 'coco' });
    await expect(detectionFolder(other)).rejects.toThrow(/expected format 'effnet-detection' version 1, got 'coco'/);
    await expect(detectionFolder(join(root, 'absent'))).rejects.toThrow(EffnetDataError);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EffnetDataError, type Batch } from '@effnet/train';
import { imageFolder } from './image-folder.js';

let root: string;
const COLOURS: Record<string, [number, number, number]> = { blue: [0, 0, 255], red: [255, 0, 0] };

async function solid(path: string, rgb: [number, number, number], format: 'png' | 'webp' | 'jpeg'): Promise<void> {
  const image = sharp({ create: { width: 12, height: 8, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  const encoded = format === 'png' ? image.png() : format === 'webp' ? image.webp({ lossless: true }) : image.jpeg({ quality: 100 });
  writeFileSync(path, await encoded.toBuffer());
}

async function collect(iterable: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of iterable) out.push(batch);
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'effnet-folder-'));
  for (const [name, rgb] of Object.entries(COLOURS)) {
    mkdirSync(join(root, name));
    await solid(join(root, name, 'a.png'), rgb, 'png');
    await solid(join(root, name, 'b.webp'), rgb, 'webp');
    await solid(join(root, name, 'c.jpg'), rgb, 'jpeg');
  }
  writeFileSync(join(root, 'red', 'notes.txt'), 'not an image');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('imageFolder', () => {
  it('lists classes in sorted order and decodes PNG, WebP and JPEG to the requested size', async () => {
    const data = imageFolder(root, { size: 4 });
    expect(data.classNames).toEqual(['blue', 'red']);
    expect(data.size).toBe(6);
    const [batch] = await collect(data.batches({ batchSize: 6 }));
    expect(batch!.count).toBe(6);
    expect(Array.from(batch!.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(batch!.images.length).toBe(6 * 4 * 4 * 3);
    // PNG and lossless WebP decode exactly; JPEG within a few levels.
    expect(Array.from(batch!.images.subarray(0, 3))).toEqual([0, 0, 255]);
    expect(Array.from(batch!.images.subarray(48, 51))).toEqual([0, 0, 255]);
    const jpegRed = batch!.images.subarray(5 * 48, 5 * 48 + 3);
    expect(Math.abs(jpegRed[0]! - 255) + jpegRed[1]! + jpegRed[2]!).toBeLessThan(8);
  });

  it('shuffles by seed, the same way every time', async () => {
    const data = imageFolder(root, { size: 2, channels: 1 });
    const labels = async (seed: number) => (await collect(data.batches({ batchSize: 6, seed })))[0]!.labels.join('');
    expect(await labels(7)).toBe(await labels(7));
    const orders = new Set(await Promise.all([1, 2, 3, 4, 5].map(labels)));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('names a corrupt image, or skips it and counts it when asked', async () => {
    writeFileSync(join(root, 'red', 'broken.jpg'), Buffer.from('this is not a jpeg at all'));
    try {
      const strict = imageFolder(root, { size: 4 });
      await expect(collect(strict.batches({ batchSize: 3 }))).rejects.toThrow(/broken\.jpg: cannot decode image/);
      const lenient = imageFolder(root, { size: 4, onCorrupt: 'skip' });
      const batches = await collect(lenient.batches({ batchSize: 4 }));
      expect(batches.map((b) => b.count)).toEqual([4, 2]);
      expect(lenient.skipped).toBe(1);
    } finally {
      rmSync(join(root, 'red', 'broken.jpg'));
    }
  });

  it('rejects a folder without images and bad options', () => {
    const empty = mkdtempSync(join(tmpdir(), 'effnet-empty-'));
    try {
      expect(() => imageFolder(empty, { size: 4 })).toThrow(EffnetDataError);
      expect(() => imageFolder(empty, { size: 4 })).toThrow(/no images found/);
    } finally {
      rmSync(empty, { recursive: true });
    }
    expect(() => imageFolder(root, { size: 0 })).toThrow(/size must be a positive integer/);
    expect(() => imageFolder(join(root, 'missing'), { size: 4 })).toThrow(/cannot read the folder/);
  });
});

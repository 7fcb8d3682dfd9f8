// The effnet-detection format: write → read gives the same pixels (PNG is lossless) and boxes,
// no temporary files remain, and malformed annotations are refused with the entry named.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetDataError } from '@effnet/train';
import { checkAnnotations, readDetectionSet, writeDetectionSet, type DetectionSample } from './detection-format.js';

const SHAPE_CLASSES = ['circle', 'square', 'triangle'];

/** `count` 64×64 RGB images of distinct byte patterns, each with one box of class i mod 3. */
function samples(count: number): DetectionSample[] {
  return Array.from({ length: count }, (_, i) => ({
    pixels: Uint8Array.from({ length: 64 * 64 * 3 }, (_, k) => (k * (i + 3) + i * 17) % 256),
    boxes: [{ box: [i, 2 * i, 30 + i, 40 + i], classId: i % 3 }],
  }));
}

const folder = await mkdtemp(join(tmpdir(), 'effnet-detection-'));
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const valid = { format: 'effnet-detection', version: 1, classes: ['a', 'b'], images: [{ file: 'images/0.png', height: 10, width: 20, boxes: [{ box: [1, 2, 9, 19], classId: 1 }] }] };

describe('effnet-detection format', () => {
  it('round trip: same pixels and boxes, nothing temporary left behind', async () => {
    const written = samples(5);
    await writeDetectionSet(folder, written, SHAPE_CLASSES, 64);
    const { annotations, pixels } = await readDetectionSet(folder);
    expect(annotations.classes).toEqual(['circle', 'square', 'triangle']);
    expect(annotations.images.map((i) => i.file)).toEqual(['000000', '000001', '000002', '000003', '000004'].map((n) => `images/${n}.png`));
    expect(annotations.images.map((i) => i.boxes)).toEqual(written.map((s) => s.boxes));
    pixels.forEach((p, i) => expect(Buffer.compare(Buffer.from(p), Buffer.from(written[i]!.pixels))).toBe(0));
    const files = [...(await readdir(folder)), ...(await readdir(join(folder, 'images')))];
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('accepts a valid file', () => {
    expect(checkAnnotations(valid).images[0]!.boxes[0]!.classId).toBe(1);
  });

  it.each([
    ['a wrong format name', { ...valid, format: 'coco' }, /effnet-detection/],
    ['no classes', { ...valid, classes: [] }, /classes/],
    ['a path leaving the folder', { ...valid, images: [{ ...valid.images[0]!, file: '../x.png' }] }, /images\[0\]/],
    ['an inverted box', { ...valid, images: [{ ...valid.images[0]!, boxes: [{ box: [9, 2, 1, 19], classId: 0 }] }] }, /images\[0\]\.boxes\[0\]/],
    ['a box past the width', { ...valid, images: [{ ...valid.images[0]!, boxes: [{ box: [1, 2, 9, 21], classId: 0 }] }] }, /xMax ≤ width/],
    ['an unknown class', { ...valid, images: [{ ...valid.images[0]!, boxes: [{ box: [1, 2, 9, 19], classId: 2 }] }] }, /classId must index classes/],
  ])('refuses %s', (_, value, message) => {
    expect(() => checkAnnotations(value)).toThrow(EffnetDataError);
    expect(() => checkAnnotations(value)).toThrow(message);
  });

  it('refuses an image whose size differs from its entry, and unreadable JSON', async () => {
    const annotations = JSON.stringify({ ...valid, images: [{ ...valid.images[0]!, file: 'images/000000.png' }] });
    await writeFile(join(folder, 'annotations.json'), annotations);
    await expect(readDetectionSet(folder)).rejects.toThrow(/is 64×64×3, the entry says 20×10 RGB/);
    await writeFile(join(folder, 'annotations.json'), '{');
    await expect(readDetectionSet(folder)).rejects.toThrow(EffnetDataError);
  });
});

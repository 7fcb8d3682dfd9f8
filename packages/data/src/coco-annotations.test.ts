// The COCO instances reader on a hand-written file (non-contiguous category ids, crowd, an image
// without annotations), one typed one-line error per kind of bad entry, the results writer and
// reader, and a COCO folder read at a detector's size.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetDataError } from '@effnet/train';
import { parseCocoAnnotations, readCocoAnnotations, toCocoJson } from './coco-annotations.js';
import { cocoFolder } from './coco-folder.js';
import { parseCocoResults, readCocoResults, toCocoResults, writeCocoResults } from './coco-results.js';

const SET = {
  info: { description: 'hand-written' },
  images: [
    { id: 42, file_name: 'a.png', width: 80, height: 40 },
    { id: 7, file_name: 'b.png', width: 40, height: 40 },
  ],
  categories: [
    { id: 90, name: 'toothbrush' },
    { id: 1, name: 'person' },
    { id: 18, name: 'dog' },
  ],
  annotations: [
    { id: 1, image_id: 42, category_id: 18, bbox: [10, 5, 20, 10], area: 150, iscrowd: 0, segmentation: [[10, 5, 30, 5, 30, 15]] },
    { id: 2, image_id: 42, category_id: 1, bbox: [0, 0, 80, 40], area: 3000, iscrowd: 1 },
    { id: 3, image_id: 42, category_id: 90, bbox: [40, 20, 40, 20] },
  ],
};

const folder = await mkdtemp(join(tmpdir(), 'effnet-coco-'));
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The set with one entry changed by `edit`. */
function broken(edit: (set: typeof SET & Record<string, unknown>) => void): unknown {
  const copy = structuredClone(SET) as typeof SET & Record<string, unknown>;
  edit(copy);
  return copy;
}

describe('parseCocoAnnotations', () => {
  it('reads images (file order), categories sorted by id, annotations with defaults for area and iscrowd', () => {
    const set = parseCocoAnnotations(SET);
    expect(set.images.map((i) => i.id)).toEqual([42, 7]);
    expect(set.categories.map((c) => [c.id, c.name])).toEqual([[1, 'person'], [18, 'dog'], [90, 'toothbrush']]);
    expect(set.annotations).toEqual([
      { id: 1, imageId: 42, categoryId: 18, bbox: [10, 5, 20, 10], area: 150, iscrowd: false },
      { id: 2, imageId: 42, categoryId: 1, bbox: [0, 0, 80, 40], area: 3000, iscrowd: true },
      { id: 3, imageId: 42, categoryId: 90, bbox: [40, 20, 40, 20], area: 800, iscrowd: false },
    ]);
    expect(parseCocoAnnotations(toCocoJson(set))).toEqual(set);
  });

  it.each([
    ['a missing list', (s: Record<string, unknown>) => delete s['annotations'], /annotations: expected a list, got nothing/],
    ['a repeated image id', (s: typeof SET) => (s.images[1]!.id = 42), /images\[1\] \(id 42\): repeats the id/],
    ['a path out of the folder', (s: typeof SET) => (s.images[0]!.file_name = '../x.png'), /images\[0\] \(id 42\): file_name must be a relative path/],
    ['a zero width', (s: typeof SET) => (s.images[1]!.width = 0), /images\[1\] \(id 7\): width and height must be positive integers/],
    ['no categories', (s: typeof SET) => (s.categories = []), /categories: must list at least one/],
    ['an unknown category', (s: typeof SET) => (s.annotations[2]!.category_id = 91), /annotations\[2\] \(id 3\): category_id 91 is not a listed category \(ids 1, 18, 90\)/],
    ['an unknown image', (s: typeof SET) => (s.annotations[0]!.image_id = 8), /annotations\[0\] \(id 1\): image_id 8 is not a listed image/],
    ['corners instead of xywh', (s: typeof SET) => (s.annotations[0]!.bbox = [10, 5, 75, 38]), /annotations\[0\] \(id 1\): bbox \[10, 5, 75, 38\] lies outside its 80×40 image 42/],
    ['a negative side', (s: typeof SET) => (s.annotations[0]!.bbox = [10, 5, -2, 10]), /negative width or height/],
    ['a NaN coordinate', (s: typeof SET) => (s.annotations[0]!.bbox = [10, 5, NaN, 10]), /bbox must be \[x, y, width, height\] numbers, got \[10,5,null,10\]/],
    ['a repeated annotation id', (s: typeof SET) => (s.annotations[1]!.id = 1), /annotations\[1\] \(id 1\): repeats the id/],
    ['iscrowd 2', (s: typeof SET) => (s.annotations[1]!.iscrowd = 2), /iscrowd must be 0 or 1, got 2/],
  ])('names the bad entry for %s in one line', (_kind, edit, message) => {
    let error: unknown;
    try {
      parseCocoAnnotations(broken(edit as (s: Record<string, unknown>) => void), 'instances_val.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EffnetDataError);
    expect((error as Error).message).toMatch(/^instances_val\.json: /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  it('a missing or non-JSON file is a typed error', async () => {
    await expect(readCocoAnnotations(join(folder, 'none.json'))).rejects.toThrow(/cannot be read \(ENOENT\)/);
    await writeFile(join(folder, 'bad.json'), '{"images": [');
    await expect(readCocoAnnotations(join(folder, 'bad.json'))).rejects.toThrow(/is not JSON/);
  });
});

describe('COCO results', () => {
  const set = parseCocoAnnotations(SET);

  it('maps class indices to category ids and [yMin, xMin, yMax, xMax] in detector pixels to xywh in original pixels', () => {
    const results = toCocoResults([[{ box: [4, 8, 12, 24], score: 0.9, classId: 1 }], [{ box: [0, 0, 32, 32], score: 0.5, classId: 2 }]], [42, 7], set.categories, [[1.25, 2.5], [1.25, 1.25]]);
    expect(results).toEqual([
      { imageId: 42, categoryId: 18, bbox: [20, 5, 40, 10], score: 0.9 },
      { imageId: 7, categoryId: 90, bbox: [0, 0, 40, 40], score: 0.5 },
    ]);
    expect(() => toCocoResults([[{ box: [0, 0, 1, 1], score: 1, classId: 3 }]], [42], set.categories)).toThrow(/class index 3 has no category/);
  });

  it('writes COCO results JSON and reads it back, checking ids against the ground truth', async () => {
    const path = join(folder, 'results.json');
    const results = [{ imageId: 42, categoryId: 18, bbox: [20, 5, 40, 10] as [number, number, number, number], score: 0.9 }];
    await writeCocoResults(path, results);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([{ image_id: 42, category_id: 18, bbox: [20, 5, 40, 10], score: 0.9 }]);
    expect(await readCocoResults(path, set)).toEqual(results);
    expect(() => parseCocoResults([{ image_id: 43, category_id: 18, bbox: [0, 0, 1, 1], score: 1 }], 'r.json', set)).toThrow(/r\.json: \[0\]: image_id 43 is not an image/);
    expect(() => parseCocoResults([{ image_id: 42, category_id: 18, bbox: [0, 0, 1, 1], score: 'high' }], 'r.json', set)).toThrow(/score must be a finite number/);
    expect(() => parseCocoResults({}, 'r.json')).toThrow(EffnetDataError);
  });
});

describe('cocoFolder', () => {
  it('reads COCO’s download layout (annotations/instances_<split>.json, <split>/), stretching images and boxes, leaving crowd out', async () => {
    const root = join(folder, 'coco');
    await mkdir(join(root, 'annotations'), { recursive: true });
    await mkdir(join(root, 'val'), { recursive: true });
    await writeFile(join(root, 'annotations', 'instances_val.json'), JSON.stringify(SET));
    await sharp(Buffer.alloc(80 * 40 * 3, 200), { raw: { width: 80, height: 40, channels: 3 } }).png().toFile(join(root, 'val', 'a.png'));
    await sharp(Buffer.alloc(40 * 40 * 3, 100), { raw: { width: 40, height: 40, channels: 3 } }).png().toFile(join(root, 'val', 'b.png'));
    const read = await cocoFolder(root, 32);
    expect(read.dataset.size).toBe(2);
    expect(read.dataset.imageShape).toEqual([32, 32, 3]);
    expect(read.dataset.classNames).toEqual(['person', 'dog', 'toothbrush']);
    expect(read.scales).toEqual([[1.25, 2.5], [1.25, 1.25]]);
    // Image 42 at 80×40 → 32×32: x ÷ 2.5, y ÷ 1.25; the crowd box is not a training box.
    expect(read.dataset.example(0).boxes).toEqual([{ box: [4, 4, 12, 12], classId: 1 }, { box: [16, 16, 32, 32], classId: 2 }]);
    expect(read.dataset.example(1).boxes).toEqual([]);
    expect(read.annotations.annotations).toHaveLength(3);
    // An image whose size differs from its entry is named.
    await sharp(Buffer.alloc(30 * 40 * 3), { raw: { width: 30, height: 40, channels: 3 } }).png().toFile(join(root, 'val', 'b.png'));
    await expect(cocoFolder(root, 32)).rejects.toThrow(/b\.png: is 30×40, instances_val\.json says 40×40 \(image id 7\)/);
    await expect(cocoFolder(join(folder, 'nothing'), 32)).rejects.toThrow(/is not a folder/);
    await expect(cocoFolder(folder, 32)).rejects.toThrow(/has no instances\*\.json/);
  });
});

// COCO's object-detection annotation format (instances_*.json, cocodataset.org/#format-data):
// images, categories with ids that need not be contiguous, and annotations with `bbox` as
// [x, y, width, height] in pixels, `area` and `iscrowd`. `parseCocoAnnotations` checks every entry
// and names the first bad one in a one-line EffnetDataError; segmentations are not read.
import { readFile } from 'node:fs/promises';
import { isAbsolute, normalize, sep } from 'node:path';
import { EffnetDataError } from '@effnet/train';

/** One image of a COCO set. */
export interface CocoImage {
  /** Image id (any integer, unique). */
  id: number;
  /** File name, relative to the set's image folder. */
  fileName: string;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** One category. */
export interface CocoCategory {
  /** Category id (unique, not necessarily contiguous: COCO's run 1…90 with gaps). */
  id: number;
  /** Name. */
  name: string;
}

/** One object. */
export interface CocoAnnotation {
  /** Annotation id (unique). */
  id: number;
  /** The image it lies in. */
  imageId: number;
  /** Its category. */
  categoryId: number;
  /** `[x, y, width, height]` in pixels of the image. */
  bbox: [number, number, number, number];
  /** Area (of the segment in COCO; the box's when the file gives none). */
  area: number;
  /** A crowd region: evaluation ignores detections on it, training leaves it out. */
  iscrowd: boolean;
}

/** A checked COCO annotation file. */
export interface CocoAnnotations {
  /** Images, in file order (images without annotations included). */
  images: CocoImage[];
  /** Categories, sorted by id: a category's index here is its class index. */
  categories: CocoCategory[];
  /** Annotations, in file order. */
  annotations: CocoAnnotation[];
}

/** How far a box may stick out of its image (COCO's own boxes overshoot by rounding). */
const EDGE_TOLERANCE = 1;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number => Number.isSafeInteger(value);

/**
 * Checks a parsed COCO instances file.
 *
 * @param value - The parsed JSON.
 * @param source - The file name used in errors.
 * @returns The images, categories (sorted by id) and annotations in effnet's terms.
 * @throws EffnetDataError naming the first bad entry, e.g. `annotations[17] (id 4021): category_id 91 is not a listed category`.
 */
export function parseCocoAnnotations(value: unknown, source = 'instances.json'): CocoAnnotations {
  const fail = (where: string, message: string): never => {
    throw new EffnetDataError(source, `${where}: ${message}`);
  };
  if (!isObject(value)) return fail('top level', 'expected a JSON object with images, categories and annotations (COCO instances format)');
  for (const key of ['images', 'categories', 'annotations']) if (!Array.isArray(value[key])) fail(key, `expected a list, got ${value[key] === undefined ? 'nothing' : typeof value[key]}`);
  const images: CocoImage[] = [];
  const imageById = new Map<number, CocoImage>();
  (value['images'] as unknown[]).forEach((entry, i) => {
    const where = `images[${i}]`;
    if (!isObject(entry)) fail(where, 'expected an object { id, file_name, width, height }');
    const { id, file_name: fileName, width, height } = entry as Json;
    if (!isId(id)) fail(where, `id must be an integer, got ${JSON.stringify(id)}`);
    if (imageById.has(id as number)) fail(`${where} (id ${id})`, `repeats the id of an earlier image`);
    if (typeof fileName !== 'string' || fileName === '' || isAbsolute(fileName) || normalize(fileName).split(sep).includes('..')) fail(`${where} (id ${id})`, `file_name must be a relative path inside the image folder, got ${JSON.stringify(fileName)}`);
    if (!isId(width) || (width as number) < 1 || !isId(height) || (height as number) < 1) fail(`${where} (id ${id})`, `width and height must be positive integers, got ${JSON.stringify(width)}×${JSON.stringify(height)}`);
    const image = { id: id as number, fileName: fileName as string, width: width as number, height: height as number };
    images.push(image);
    imageById.set(image.id, image);
  });
  const categories: CocoCategory[] = [];
  const categoryIds = new Set<number>();
  (value['categories'] as unknown[]).forEach((entry, i) => {
    const where = `categories[${i}]`;
    if (!isObject(entry)) fail(where, 'expected an object { id, name }');
    const { id, name } = entry as Json;
    if (!isId(id)) fail(where, `id must be an integer, got ${JSON.stringify(id)}`);
    if (categoryIds.has(id as number)) fail(`${where} (id ${id})`, 'repeats the id of an earlier category');
    if (typeof name !== 'string' || name === '') fail(`${where} (id ${id})`, 'name must be a non-empty string');
    categoryIds.add(id as number);
    categories.push({ id: id as number, name: name as string });
  });
  if (categories.length === 0) fail('categories', 'must list at least one category');
  categories.sort((a, b) => a.id - b.id);
  const known = `ids ${categories.slice(0, 8).map((c) => c.id).join(', ')}${categories.length > 8 ? ', …' : ''}`;
  const annotations: CocoAnnotation[] = [];
  const annotationIds = new Set<number>();
  (value['annotations'] as unknown[]).forEach((entry, i) => {
    let where = `annotations[${i}]`;
    if (!isObject(entry)) fail(where, 'expected an object { id, image_id, category_id, bbox, area, iscrowd }');
    const { id, image_id: imageId, category_id: categoryId, bbox, area, iscrowd } = entry as Json;
    if (!isId(id)) fail(where, `id must be an integer, got ${JSON.stringify(id)}`);
    where = `${where} (id ${id})`;
    if (annotationIds.has(id as number)) fail(where, 'repeats the id of an earlier annotation');
    annotationIds.add(id as number);
    const image = imageById.get(imageId as number);
    if (!isId(imageId) || !image) fail(where, `image_id ${JSON.stringify(imageId)} is not a listed image`);
    if (!isId(categoryId) || !categoryIds.has(categoryId as number)) fail(where, `category_id ${JSON.stringify(categoryId)} is not a listed category (${known})`);
    if (!Array.isArray(bbox) || bbox.length !== 4 || bbox.some((v) => typeof v !== 'number' || !Number.isFinite(v))) fail(where, `bbox must be [x, y, width, height] numbers, got ${JSON.stringify(bbox)}`);
    const [x, y, w, h] = bbox as number[];
    if (!(w! >= 0 && h! >= 0)) fail(where, `bbox [${(bbox as number[]).join(', ')}] has a negative width or height (COCO boxes are [x, y, width, height], not corners)`);
    const { width, height } = image!;
    if (x! < -EDGE_TOLERANCE || y! < -EDGE_TOLERANCE || x! + w! > width + EDGE_TOLERANCE || y! + h! > height + EDGE_TOLERANCE) {
      fail(where, `bbox [${(bbox as number[]).join(', ')}] lies outside its ${width}×${height} image ${imageId}`);
    }
    if (area !== undefined && (typeof area !== 'number' || !(area >= 0) || !Number.isFinite(area))) fail(where, `area must be a number ≥ 0, got ${JSON.stringify(area)}`);
    if (iscrowd !== undefined && iscrowd !== 0 && iscrowd !== 1 && typeof iscrowd !== 'boolean') fail(where, `iscrowd must be 0 or 1, got ${JSON.stringify(iscrowd)}`);
    annotations.push({
      id: id as number, imageId: imageId as number, categoryId: categoryId as number, bbox: [x!, y!, w!, h!], area: (area as number | undefined) ?? w! * h!, iscrowd: iscrowd === 1 || iscrowd === true,
    });
  });
  return { images, categories, annotations };
}

/**
 * Reads and checks a COCO instances file.
 *
 * @throws EffnetDataError when it cannot be read, is not JSON, or has a bad entry.
 */
export async function readCocoAnnotations(path: string): Promise<CocoAnnotations> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EffnetDataError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass a COCO instances_*.json file`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EffnetDataError(path, `is not JSON (${(error as Error).message})`);
  }
  return parseCocoAnnotations(parsed, path);
}

/** The file form of a checked set (COCO's snake_case keys), e.g. to write a generated set. */
export function toCocoJson(set: CocoAnnotations, info: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    info,
    images: set.images.map((i) => ({ id: i.id, file_name: i.fileName, width: i.width, height: i.height })),
    categories: set.categories.map((c) => ({ id: c.id, name: c.name })),
    annotations: set.annotations.map((a) => ({ id: a.id, image_id: a.imageId, category_id: a.categoryId, bbox: a.bbox, area: a.area, iscrowd: a.iscrowd ? 1 : 0 })),
  };
}

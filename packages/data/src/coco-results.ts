// COCO's results format for detections (cocodataset.org/#format-results): a JSON list of
// { image_id, category_id, bbox: [x, y, width, height], score }, the file pycocotools' loadRes and
// the COCO evaluation server read. `toCocoResults` turns per-image detections with class indices
// and [yMin, xMin, yMax, xMax] boxes into it; the writer is atomic; the reader checks every entry.
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { EffnetDataError } from '@effnet/train';
import type { CocoAnnotations, CocoCategory } from './coco-annotations.js';

/** One detection in COCO's terms. */
export interface CocoResult {
  /** Image id. */
  imageId: number;
  /** Category id (not the class index). */
  categoryId: number;
  /** `[x, y, width, height]` in pixels of the original image. */
  bbox: [number, number, number, number];
  /** Confidence. */
  score: number;
}

/** What {@link toCocoResults} converts: a detection with a class index, as `EfficientDet.detect` gives. */
export interface IndexedDetection {
  /** `[yMin, xMin, yMax, xMax]` in the pixels the detector saw. */
  box: readonly [number, number, number, number];
  /** Confidence. */
  score: number;
  /** Index into the categories sorted by id. */
  classId: number;
}

/**
 * Per-image detections → COCO results.
 *
 * @param detections - Per image, its detections.
 * @param imageIds - The COCO id of each image (same order).
 * @param categories - Categories sorted by id: class index `c` is `categories[c]`.
 * @param scales - Per image, `[sy, sx]` from the detector's pixels to the original image's (default 1).
 * @throws EffnetDataError when the counts differ or a class index has no category.
 */
export function toCocoResults(
  detections: readonly (readonly IndexedDetection[])[],
  imageIds: readonly number[],
  categories: readonly CocoCategory[],
  scales?: readonly (readonly [number, number])[],
): CocoResult[] {
  if (detections.length !== imageIds.length) throw new EffnetDataError('results', `${detections.length} detection lists for ${imageIds.length} images; give one list per image`);
  return detections.flatMap((list, i) =>
    list.map((d) => {
      const category = categories[d.classId];
      if (!category) throw new EffnetDataError('results', `image ${imageIds[i]}: class index ${d.classId} has no category (${categories.length} categories)`);
      const [sy, sx] = scales?.[i] ?? [1, 1];
      const [y0, x0, y1, x1] = d.box;
      return { imageId: imageIds[i]!, categoryId: category.id, bbox: [x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy], score: d.score };
    }),
  );
}

/** The JSON form (COCO's snake_case keys). */
export function cocoResultsJson(results: readonly CocoResult[]): { image_id: number; category_id: number; bbox: number[]; score: number }[] {
  return results.map((r) => ({ image_id: r.imageId, category_id: r.categoryId, bbox: [...r.bbox], score: r.score }));
}

/** Writes results as COCO's results JSON, atomically. */
export async function writeCocoResults(path: string, results: readonly CocoResult[]): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(cocoResultsJson(results))}\n`);
}

/**
 * Checks a parsed results list, against the ground truth's images and categories when given.
 *
 * @throws EffnetDataError naming the first bad entry.
 */
export function parseCocoResults(value: unknown, source = 'results.json', set?: CocoAnnotations): CocoResult[] {
  const fail = (where: string, message: string): never => {
    throw new EffnetDataError(source, `${where}: ${message}`);
  };
  if (!Array.isArray(value)) return fail('top level', 'expected a list of { image_id, category_id, bbox, score } (COCO results format)');
  const images = set ? new Set(set.images.map((i) => i.id)) : undefined;
  const categories = set ? new Set(set.categories.map((c) => c.id)) : undefined;
  return value.map((entry: unknown, i): CocoResult => {
    const where = `[${i}]`;
    if (typeof entry !== 'object' || entry === null) return fail(where, 'expected an object');
    const { image_id: imageId, category_id: categoryId, bbox, score } = entry as Record<string, unknown>;
    if (!Number.isSafeInteger(imageId) || (images && !images.has(imageId as number))) fail(where, `image_id ${JSON.stringify(imageId)} is not an image of the ground truth`);
    if (!Number.isSafeInteger(categoryId) || (categories && !categories.has(categoryId as number))) fail(where, `category_id ${JSON.stringify(categoryId)} is not a category of the ground truth`);
    if (!Array.isArray(bbox) || bbox.length !== 4 || bbox.some((v) => typeof v !== 'number' || !Number.isFinite(v)) || bbox[2] < 0 || bbox[3] < 0) {
      fail(where, `bbox must be [x, y, width, height] finite numbers with width, height ≥ 0, got ${JSON.stringify(bbox)}`);
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) fail(where, `score must be a finite number, got ${JSON.stringify(score)}`);
    return { imageId: imageId as number, categoryId: categoryId as number, bbox: [...(bbox as number[])] as CocoResult['bbox'], score: score as number };
  });
}

/** Reads and checks a results file. */
export async function readCocoResults(path: string, set?: CocoAnnotations): Promise<CocoResult[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new EffnetDataError(path, `cannot be read as JSON (${(error as Error).message})`);
  }
  return parseCocoResults(parsed, path, set);
}

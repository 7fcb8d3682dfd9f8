// COCO box evaluation equal to pycocotools' COCOeval (iouType 'bbox'): the twelve summary numbers
// (AP at IoU 0.5:0.05:0.95, 0.5 and 0.75, AP small/medium/large, AR with 1/10/100 detections, AR
// small/medium/large), crowd regions, COCO's `area`, maxDets cut-offs and its tie order (stable
// sorts by score). `evaluateCocoDetections` takes COCO's own terms (xywh boxes, image and category
// ids); `evaluateCoco` takes per-image lists of [yMin, xMin, yMax, xMax] boxes, as `detect()` gives.
import { EffnetModelError } from '../errors.js';
import type { Box } from './box-coding.js';
import { accumulate, summarise, COCO_SUMMARY_KEYS, type CocoSummary, type CocoTables } from './coco-accumulate.js';
import { matchImage, sortDetections, type CocoDetectionBox, type CocoGroundTruthBox, type ImageMatches } from './coco-match.js';

export { COCO_SUMMARY_KEYS, type CocoSummary, type CocoTables } from './coco-accumulate.js';
export { cocoIou, type CocoDetectionBox, type CocoGroundTruthBox } from './coco-match.js';

/** numpy.linspace(start, stop, num): the same floating-point values pycocotools uses. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

/** COCO's IoU thresholds 0.5, 0.55, …, 0.95. */
export const COCO_IOU_THRESHOLDS: readonly number[] = linspace(0.5, 0.95, 10);

/** COCO's 101 recall points 0, 0.01, …, 1. */
export const COCO_RECALL_POINTS: readonly number[] = linspace(0, 1, 101);

/** COCO's area ranges (all, small, medium, large), both ends included. */
export const COCO_AREA_RANGES: readonly { label: 'all' | 'small' | 'medium' | 'large'; range: [number, number] }[] = [
  { label: 'all', range: [0, 1e10] },
  { label: 'small', range: [0, 32 ** 2] },
  { label: 'medium', range: [32 ** 2, 96 ** 2] },
  { label: 'large', range: [96 ** 2, 1e10] },
];

/** What {@link evaluateCocoDetections} evaluates. */
export interface CocoEvalInput {
  /** Every image of the set (images without boxes count too). */
  imageIds: readonly number[];
  /** Every category of the set. */
  categoryIds: readonly number[];
  /** The ground-truth boxes. */
  groundTruth: readonly CocoGroundTruthBox[];
  /** The detections. */
  detections: readonly CocoDetectionBox[];
}

/** Result of {@link evaluateCocoDetections}. */
export interface CocoEvaluation {
  /** The twelve numbers by name. */
  summary: CocoSummary;
  /** The same twelve in `COCOeval.stats` order. */
  stats: number[];
  /** Category ids, sorted: the K axis of the tables. */
  categoryIds: number[];
  /** Per category (sorted ids): AP at IoU 0.5:0.95, all areas, 100 detections; −1 without ground truth. */
  apPerCategory: Map<number, number>;
  /** The precision and recall tables. */
  tables: CocoTables;
  /** The IoU thresholds (T axis). */
  iouThresholds: number[];
  /** The recall points (R axis). */
  recallPoints: number[];
  /** The maxDets (M axis), ascending; AP and the area numbers use the last. */
  maxDetections: number[];
}

function check(condition: boolean, field: string, message: string): void {
  if (!condition) throw new EffnetModelError(field, message);
}

function checkBox(field: string, bbox: readonly number[]): void {
  check(Array.isArray(bbox) && bbox.length === 4 && bbox.every(Number.isFinite) && bbox[2]! >= 0 && bbox[3]! >= 0, field, `bbox must be [x, y, width, height] finite numbers with width, height ≥ 0, got ${JSON.stringify(bbox)}`);
}

/**
 * COCO box evaluation, as pycocotools' `COCOeval(gt, dt, 'bbox')` then `evaluate`, `accumulate`, `summarize`.
 *
 * @param input - Images, categories, ground truth and detections.
 * @param options - `maxDetections` (default [1, 10, 100]; the last one is used for AP) and the IoU thresholds.
 * @returns The summary, per-category AP and the precision/recall tables.
 * @throws EffnetModelError naming the first box with an unknown image or category, a bad box or score.
 */
export function evaluateCocoDetections(input: CocoEvalInput, options: { maxDetections?: readonly number[]; iouThresholds?: readonly number[] } = {}): CocoEvaluation {
  const maxDetections = [...(options.maxDetections ?? [1, 10, 100])].sort((a, b) => a - b);
  const iouThresholds = [...(options.iouThresholds ?? COCO_IOU_THRESHOLDS)];
  check(maxDetections.length > 0 && maxDetections.every((m) => Number.isInteger(m) && m > 0), 'maxDetections', `must be positive integers, got ${maxDetections.join(', ')}`);
  const imageIds = [...new Set(input.imageIds)].sort((a, b) => a - b);
  const categoryIds = [...new Set(input.categoryIds)].sort((a, b) => a - b);
  const images = new Set(imageIds);
  const categories = new Set(categoryIds);
  const key = (image: number, category: number): string => `${image}/${category}`;
  const gtByKey = new Map<string, CocoGroundTruthBox[]>();
  input.groundTruth.forEach((g, i) => {
    const field = `groundTruth[${i}]`;
    check(images.has(g.imageId), field, `image id ${g.imageId} is not among the ${imageIds.length} images; list every image`);
    check(categories.has(g.categoryId), field, `category id ${g.categoryId} is not among the categories (${categoryIds.slice(0, 10).join(', ')}${categoryIds.length > 10 ? ', …' : ''})`);
    checkBox(field, g.bbox);
    check(Number.isFinite(g.area) && g.area >= 0, field, `area must be a number ≥ 0, got ${g.area}`);
    gtByKey.set(key(g.imageId, g.categoryId), [...(gtByKey.get(key(g.imageId, g.categoryId)) ?? []), g]);
  });
  const dtByKey = new Map<string, CocoDetectionBox[]>();
  input.detections.forEach((d, i) => {
    const field = `detections[${i}]`;
    check(images.has(d.imageId), field, `image id ${d.imageId} is not an image of the ground truth`);
    check(categories.has(d.categoryId), field, `category id ${d.categoryId} is not a category of the ground truth (${categoryIds.slice(0, 10).join(', ')}${categoryIds.length > 10 ? ', …' : ''}); map class indices to category ids`);
    checkBox(field, d.bbox);
    check(Number.isFinite(d.score), field, `score must be a finite number, got ${d.score}`);
    const list = dtByKey.get(key(d.imageId, d.categoryId));
    if (list) list.push(d);
    else dtByKey.set(key(d.imageId, d.categoryId), [d]);
  });
  const lastMax = maxDetections.at(-1)!;
  const matches: (ImageMatches | undefined)[][][] = categoryIds.map((c) => {
    const perImage = imageIds.map((i) => ({ gts: gtByKey.get(key(i, c)) ?? [], dts: sortDetections(dtByKey.get(key(i, c)) ?? [], lastMax) }));
    return COCO_AREA_RANGES.map(({ range }) => perImage.map(({ gts, dts }) => matchImage(gts, dts, range, iouThresholds)));
  });
  const tables = accumulate(matches, maxDetections, iouThresholds.length, COCO_RECALL_POINTS);
  const at = (value: number): number => iouThresholds.findIndex((t) => Math.abs(t - value) < 1e-12);
  // As pycocotools: AR1, AR10 and AR100 read the first, second and last maxDets.
  const m = maxDetections.length - 1;
  const ap = (select: { t?: number; a: number; m: number }): number => (select.t === -1 ? -1 : summarise(tables, 'precision', select));
  const ar = (select: { a: number; m: number }): number => summarise(tables, 'recall', select);
  const summary: CocoSummary = {
    ap: ap({ a: 0, m }), ap50: ap({ t: at(0.5), a: 0, m }), ap75: ap({ t: at(0.75), a: 0, m }),
    apSmall: ap({ a: 1, m }), apMedium: ap({ a: 2, m }), apLarge: ap({ a: 3, m }),
    ar1: ar({ a: 0, m: 0 }), ar10: ar({ a: 0, m: Math.min(1, m) }), ar100: ar({ a: 0, m }),
    arSmall: ar({ a: 1, m }), arMedium: ar({ a: 2, m }), arLarge: ar({ a: 3, m }),
  };
  const apPerCategory = new Map(categoryIds.map((c, k) => [c, summarise(tables, 'precision', { a: 0, m, k })]));
  return {
    summary, stats: COCO_SUMMARY_KEYS.map((name) => summary[name]), categoryIds, apPerCategory, tables, iouThresholds, recallPoints: [...COCO_RECALL_POINTS], maxDetections,
  };
}

/**
 * The precision-recall curve at one IoU threshold (all areas, the largest maxDets), averaged over
 * the categories that have ground truth: precision at each of the 101 recall points.
 *
 * @returns `{ recall, precision }`, empty when no category has ground truth.
 */
export function precisionRecallCurve(evaluation: CocoEvaluation, iouThreshold = 0.5): { recall: number[]; precision: number[] } {
  const t = evaluation.iouThresholds.findIndex((v) => Math.abs(v - iouThreshold) < 1e-12);
  if (t < 0) throw new EffnetModelError('iouThreshold', `${iouThreshold} is not one of the evaluated thresholds (${evaluation.iouThresholds.map((v) => v.toFixed(2)).join(', ')})`);
  const { R, K, A, M } = evaluation.tables.dims;
  const recall: number[] = [];
  const precision: number[] = [];
  for (let r = 0; r < R; r++) {
    const values: number[] = [];
    for (let k = 0; k < K; k++) {
      const v = evaluation.tables.precision[(((t * R + r) * K + k) * A + 0) * M + (M - 1)]!;
      if (v > -1) values.push(v);
    }
    if (values.length === 0) return { recall: [], precision: [] };
    recall.push(evaluation.recallPoints[r]!);
    precision.push(values.reduce((s, v) => s + v, 0) / values.length);
  }
  return { recall, precision };
}

/** A scored box of one class (a {@link Detection} fits). */
export interface ScoredBox {
  /** `[yMin, xMin, yMax, xMax]`. */
  box: Box;
  /** Confidence. */
  score: number;
  /** Class id. */
  classId: number;
}

/** A ground-truth box of one class. */
export interface LabelledBox {
  /** `[yMin, xMin, yMax, xMax]`. */
  box: Box;
  /** Class id. */
  classId: number;
}

/** Result of {@link evaluateCoco}. */
export interface CocoMetrics {
  /** AP averaged over IoU 0.5:0.05:0.95 (COCO's headline "AP"). */
  ap: number;
  /** AP at IoU 0.5. */
  ap50: number;
  /** AP at IoU 0.75. */
  ap75: number;
  /** AP at each threshold of `iouThresholds`, in order. */
  apPerThreshold: number[];
  /** The IoU thresholds used. */
  iouThresholds: number[];
  /** AP (averaged over thresholds) of each class that has ground truth. */
  apPerClass: Map<number, number>;
  /** All twelve COCO numbers (box areas stand in for COCO's segment areas). */
  summary: CocoSummary;
  /** The full evaluation, for curves. */
  evaluation: CocoEvaluation;
}

const toXywh = ([y0, x0, y1, x1]: Box): [number, number, number, number] => [x0, y0, x1 - x0, y1 - y0];

/**
 * COCO box evaluation of detections against ground truth given image by image, with
 * `[yMin, xMin, yMax, xMax]` boxes and class ids as categories; no crowd regions, box areas as areas.
 *
 * @param detections - Per image, its detections.
 * @param groundTruth - Per image, its labelled boxes (same image order).
 * @param options - `maxDetections` per image for AP (default 100) and the IoU thresholds (default COCO's).
 * @returns AP@[.5:.95], AP50, AP75, their parts and the twelve COCO numbers; AP is NaN when no class has ground truth.
 * @throws EffnetModelError when the image counts differ.
 */
export function evaluateCoco(
  detections: readonly (readonly ScoredBox[])[],
  groundTruth: readonly (readonly LabelledBox[])[],
  options: { maxDetections?: number; iouThresholds?: readonly number[] } = {},
): CocoMetrics {
  const { maxDetections = 100, iouThresholds = COCO_IOU_THRESHOLDS } = options;
  if (detections.length !== groundTruth.length) {
    throw new EffnetModelError('detections', `need one detection list per image: ${detections.length} detection lists, ${groundTruth.length} ground-truth lists`);
  }
  const classes = new Set([...groundTruth.flat(), ...detections.flat()].map((b) => b.classId));
  const evaluation = evaluateCocoDetections(
    {
      imageIds: groundTruth.map((_, i) => i),
      categoryIds: [...classes],
      groundTruth: groundTruth.flatMap((boxes, imageId) => boxes.map((g) => ({ imageId, categoryId: g.classId, bbox: toXywh(g.box), area: (g.box[2] - g.box[0]) * (g.box[3] - g.box[1]), iscrowd: false }))),
      detections: detections.flatMap((boxes, imageId) => boxes.map((d) => ({ imageId, categoryId: d.classId, bbox: toXywh(d.box), score: d.score }))),
    },
    { maxDetections: [...new Set([1, 10, maxDetections])].filter((v) => v <= maxDetections), iouThresholds },
  );
  const m = evaluation.maxDetections.length - 1;
  const nanIfUnmeasured = (v: number): number => (v === -1 ? NaN : v);
  const apPerThreshold = iouThresholds.map((_, t) => nanIfUnmeasured(summarise(evaluation.tables, 'precision', { t, a: 0, m })));
  const apPerClass = new Map<number, number>();
  evaluation.categoryIds.forEach((c, k) => {
    const v = summarise(evaluation.tables, 'precision', { a: 0, m, k });
    if (v > -1) apPerClass.set(c, v);
  });
  const at = (value: number): number => {
    const index = iouThresholds.findIndex((t) => Math.abs(t - value) < 1e-9);
    return index >= 0 ? apPerThreshold[index]! : NaN;
  };
  const ap = nanIfUnmeasured(summarise(evaluation.tables, 'precision', { a: 0, m }));
  return { ap, ap50: at(0.5), ap75: at(0.75), apPerThreshold, iouThresholds: [...iouThresholds], apPerClass, summary: evaluation.summary, evaluation };
}

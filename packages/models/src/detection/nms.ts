// Greedy non-maximum suppression (the algorithm of tf.image.nonMaxSuppression, in plain
// TypeScript so it runs on downloaded top-k candidates without a kernel round trip per class):
// take the best-scoring box, drop every remaining box that overlaps it by more than the IoU
// threshold, repeat. Class-wise NMS runs it within each class, as EfficientDet's inference does.
import { EffnetModelError } from '../errors.js';
import { iouAt } from './box-coding.js';
import { groupByClass } from './class-groups.js';

/** Settings of {@link nonMaxSuppression}. */
export interface NmsOptions {
  /** Most boxes kept (default: all). */
  maxOutput?: number;
  /** Boxes overlapping a kept one by more than this are dropped (default 0.5). */
  iouThreshold?: number;
  /** Boxes scoring at or below this are never kept (default −∞). */
  scoreThreshold?: number;
}

function checkNms(boxes: ArrayLike<number>, scores: ArrayLike<number>, iouThreshold: number): void {
  if (boxes.length !== 4 * scores.length) throw new EffnetModelError('boxes', `need 4 numbers per score: ${boxes.length} numbers, ${scores.length} scores`);
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) throw new EffnetModelError('iouThreshold', `must lie in [0, 1], got ${iouThreshold}`);
}

/**
 * Greedy NMS.
 *
 * @param boxes - `[yMin, xMin, yMax, xMax]` per box, flat.
 * @param scores - One score per box.
 * @param options - Limits and thresholds.
 * @returns Indices of the kept boxes, best score first.
 * @throws EffnetModelError when the lengths disagree or the IoU threshold is outside [0, 1].
 */
export function nonMaxSuppression(boxes: ArrayLike<number>, scores: ArrayLike<number>, options: NmsOptions = {}): number[] {
  const { maxOutput = Infinity, iouThreshold = 0.5, scoreThreshold = -Infinity } = options;
  checkNms(boxes, scores, iouThreshold);
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > scoreThreshold) order.push(i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= maxOutput) break;
    if (kept.every((j) => iouAt(boxes, i, boxes, j) <= iouThreshold)) kept.push(i);
  }
  return kept;
}

/**
 * NMS within each class: boxes of different classes never suppress each other.
 *
 * @param boxes - Boxes, flat.
 * @param scores - One score per box.
 * @param classes - One class id per box.
 * @param options - `maxOutput` limits the merged result, best score first.
 * @returns Indices of the kept boxes, best score first.
 */
export function classWiseNms(boxes: ArrayLike<number>, scores: ArrayLike<number>, classes: ArrayLike<number>, options: NmsOptions = {}): number[] {
  const { maxOutput = Infinity, ...rest } = options;
  checkNms(boxes, scores, rest.iouThreshold ?? 0.5);
  const kept: number[] = [];
  for (const group of groupByClass(boxes, scores, classes)) {
    for (const k of nonMaxSuppression(group.boxes, group.scores, { ...rest, maxOutput })) kept.push(group.members[k]!);
  }
  kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return kept.slice(0, maxOutput);
}

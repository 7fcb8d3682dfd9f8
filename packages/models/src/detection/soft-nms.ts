// Gaussian soft-NMS (Bodla et al. 2017), as google/automl's EfficientDet offers it (nms_np.py,
// method 'gaussian'): instead of dropping the boxes that overlap the best one, their scores decay by
// exp(−IoU² / σ); the best remaining box is taken again with the decayed scores, and boxes whose
// score falls below the threshold leave. Class-wise soft-NMS runs it within each class.
import { EffnetModelError } from '../errors.js';
import { iouAt } from './box-coding.js';
import { groupByClass } from './class-groups.js';

/** Settings of {@link softNms}. */
export interface SoftNmsOptions {
  /** σ of the Gaussian decay exp(−IoU²/σ) (default 0.5, automl's). */
  sigma?: number;
  /** Boxes whose (decayed) score falls below this leave (default 0.001, automl's). */
  scoreThreshold?: number;
  /** Most boxes kept (default: all). */
  maxOutput?: number;
}

/** Kept boxes and their decayed scores, best first. */
export interface SoftNmsResult {
  /** Indices into the input boxes. */
  indices: number[];
  /** The score of each kept box after decay (same order). */
  scores: number[];
}

function checkSoftNms(boxes: ArrayLike<number>, scores: ArrayLike<number>, sigma: number): void {
  if (boxes.length !== 4 * scores.length) throw new EffnetModelError('boxes', `need 4 numbers per score: ${boxes.length} numbers, ${scores.length} scores`);
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new EffnetModelError('sigma', `must be a positive number, got ${sigma}`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new EffnetModelError('scores', `score ${i} is NaN`);
  }
}

/**
 * Gaussian soft-NMS.
 *
 * @param boxes - `[yMin, xMin, yMax, xMax]` per box, flat.
 * @param scores - One score per box (not changed).
 * @param options - σ, the score threshold and the most boxes kept.
 * @returns The kept indices and decayed scores, in the order they were taken (highest decayed score
 *   first; equal scores: lower index first).
 * @throws EffnetModelError when the lengths disagree, σ is not positive or a score is NaN.
 */
export function softNms(boxes: ArrayLike<number>, scores: ArrayLike<number>, options: SoftNmsOptions = {}): SoftNmsResult {
  const { sigma = 0.5, scoreThreshold = 0.001, maxOutput = Infinity } = options;
  checkSoftNms(boxes, scores, sigma);
  const current = Float64Array.from(scores);
  let remaining: number[] = [];
  for (let i = 0; i < current.length; i++) if (current[i]! >= scoreThreshold) remaining.push(i);
  const indices: number[] = [];
  const kept: number[] = [];
  while (remaining.length > 0 && indices.length < maxOutput) {
    let best = 0;
    for (let r = 1; r < remaining.length; r++) {
      const a = current[remaining[r]!]!;
      const b = current[remaining[best]!]!;
      if (a > b || (a === b && remaining[r]! < remaining[best]!)) best = r;
    }
    const top = remaining[best]!;
    indices.push(top);
    kept.push(current[top]!);
    const next: number[] = [];
    for (const i of remaining) {
      if (i === top) continue;
      const overlap = iouAt(boxes, top, boxes, i);
      current[i] = current[i]! * Math.exp(-(overlap * overlap) / sigma);
      if (current[i]! >= scoreThreshold) next.push(i);
    }
    remaining = next;
  }
  return { indices, scores: kept };
}

/**
 * Soft-NMS within each class: boxes of different classes never decay each other's scores.
 *
 * @param boxes - Boxes, flat.
 * @param scores - One score per box.
 * @param classes - One class id per box.
 * @param options - σ, the score threshold; `maxOutput` limits the merged result.
 * @returns Kept indices and decayed scores, highest decayed score first.
 * @throws EffnetModelError when the lengths disagree.
 */
export function classWiseSoftNms(boxes: ArrayLike<number>, scores: ArrayLike<number>, classes: ArrayLike<number>, options: SoftNmsOptions = {}): SoftNmsResult {
  const { maxOutput = Infinity, ...rest } = options;
  checkSoftNms(boxes, scores, rest.sigma ?? 0.5);
  const merged: { index: number; score: number }[] = [];
  for (const group of groupByClass(boxes, scores, classes)) {
    const result = softNms(group.boxes, group.scores, { ...rest, maxOutput });
    result.indices.forEach((k, j) => merged.push({ index: group.members[k]!, score: result.scores[j]! }));
  }
  merged.sort((a, b) => b.score - a.score || a.index - b.index);
  const top = merged.slice(0, maxOutput);
  return { indices: top.map((m) => m.index), scores: top.map((m) => m.score) };
}

// Classification metrics on plain arrays: top-k accuracy and the confusion matrix.
import { EffnetDataError } from './errors.js';

/** Indices of the k largest scores of one row, best first (ties: lower index first). */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, k);
}

/** Top-k hits of a batch of logits (`rows × classes`, row-major) against integer labels. */
export function topKHits(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number, k: number): number {
  if (logits.length !== labels.length * classes) {
    throw new EffnetDataError('metrics', `${logits.length} logits do not make ${labels.length} rows of ${classes} classes`);
  }
  let hits = 0;
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row]!;
    const target = logits[row * classes + label]!;
    // The label is in the top k when fewer than k classes score strictly higher (ties favour it).
    let higher = 0;
    for (let c = 0; c < classes; c++) if (logits[row * classes + c]! > target) higher += 1;
    if (higher < k) hits += 1;
  }
  return hits;
}

/** A `classes × classes` matrix: `matrix[truth][predicted]` counts. */
export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predicted[i]!]! += 1;
  return matrix;
}

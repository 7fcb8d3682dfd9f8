// Assigns ground-truth boxes to anchors as google/automl's ArgMaxMatcher does (EfficientDet 2020;
// RetinaNet, Lin et al. 2017, section 4): an anchor whose best IoU with a ground-truth box is at
// least 0.5 is positive for that box, below 0.4 negative (background), in between ignored; every
// ground-truth box also claims the anchor it overlaps most (force_match_for_each_row), so small
// objects are never left without a positive anchor. Positive anchors carry the encoded box.
import { EffnetModelError } from '../errors.js';
import { encodeBoxes, iouAt } from './box-coding.js';

/** Class target of an anchor that is background. */
export const NEGATIVE = -1;
/** Class target of an anchor that the loss ignores. */
export const IGNORED = -2;

/** Thresholds of {@link matchAnchors}. */
export interface MatchOptions {
  /** IoU at or above which an anchor is positive (default 0.5). */
  positiveIou?: number;
  /** IoU below which an anchor is negative (default 0.4). */
  negativeIou?: number;
  /** Give every ground-truth box its best anchor even below `positiveIou` (default true). */
  forceMatch?: boolean;
}

/** Training targets of one image. */
export interface AnchorTargets {
  /** Per anchor: the class (≥ 0) when positive, {@link NEGATIVE} or {@link IGNORED}. */
  classes: Int32Array;
  /** Per anchor: `[ty, tx, th, tw]` of its matched box (zeros unless positive), flat. */
  boxes: Float32Array;
  /** Number of positive anchors. */
  numPositives: number;
}

/**
 * Matches ground-truth boxes to anchors.
 *
 * @param anchors - `[yMin, xMin, yMax, xMax]` per anchor, flat.
 * @param gtBoxes - Ground-truth boxes, flat, same format.
 * @param gtClasses - One class id (≥ 0) per ground-truth box.
 * @param options - IoU thresholds.
 * @returns Class and box targets per anchor.
 * @throws EffnetModelError when the counts disagree, a class is negative, or the thresholds are out of order.
 */
export function matchAnchors(anchors: ArrayLike<number>, gtBoxes: ArrayLike<number>, gtClasses: ArrayLike<number>, options: MatchOptions = {}): AnchorTargets {
  const { positiveIou = 0.5, negativeIou = 0.4, forceMatch = true } = options;
  if (!(negativeIou <= positiveIou)) throw new EffnetModelError('options', `negativeIou (${negativeIou}) must not exceed positiveIou (${positiveIou})`);
  if (anchors.length % 4 !== 0 || gtBoxes.length % 4 !== 0) throw new EffnetModelError('gtBoxes', 'anchors and boxes need 4 numbers per box');
  const n = anchors.length / 4;
  const m = gtBoxes.length / 4;
  if (gtClasses.length !== m) throw new EffnetModelError('gtClasses', `need one class per box: ${m} boxes, ${gtClasses.length} classes`);
  for (let j = 0; j < m; j++) {
    if (!Number.isInteger(gtClasses[j]) || gtClasses[j]! < 0) throw new EffnetModelError('gtClasses', `class ids must be integers ≥ 0, got ${gtClasses[j]} for box ${j}`);
  }
  const match = new Int32Array(n).fill(-1);
  const classes = new Int32Array(n).fill(NEGATIVE);
  const bestForBox = new Float64Array(m).fill(-1);
  const bestAnchorForBox = new Int32Array(m).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestJ = -1;
    for (let j = 0; j < m; j++) {
      const v = iouAt(anchors, i, gtBoxes, j);
      if (v > best) {
        best = v;
        bestJ = j;
      }
      if (v > bestForBox[j]!) {
        bestForBox[j] = v;
        bestAnchorForBox[j] = i;
      }
    }
    if (bestJ < 0) continue;
    if (best >= positiveIou) match[i] = bestJ;
    else if (best >= negativeIou) classes[i] = IGNORED;
  }
  if (forceMatch) {
    // Boxes sharing a best anchor: the lowest box index keeps it, as automl's argmax over boxes does.
    for (let j = m - 1; j >= 0; j--) if (bestForBox[j]! > 0) match[bestAnchorForBox[j]!] = j;
  }
  const matchedBoxes = new Float64Array(4 * n);
  const matchedAnchors = new Float64Array(4 * n);
  let numPositives = 0;
  for (let i = 0; i < n; i++) {
    const j = match[i]!;
    if (j < 0) {
      // Unmatched anchors get a unit box so the encoder sees no zero sides; their targets are zeroed below.
      matchedBoxes.set([0, 0, 1, 1], 4 * i);
      matchedAnchors.set([0, 0, 1, 1], 4 * i);
      continue;
    }
    classes[i] = gtClasses[j]!;
    numPositives++;
    for (let k = 0; k < 4; k++) {
      matchedBoxes[4 * i + k] = gtBoxes[4 * j + k]!;
      matchedAnchors[4 * i + k] = anchors[4 * i + k]!;
    }
  }
  const boxes = Float32Array.from(encodeBoxes(matchedBoxes, matchedAnchors));
  return { classes, boxes, numPositives };
}

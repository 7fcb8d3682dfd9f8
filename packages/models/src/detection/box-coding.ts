// Box geometry of EfficientDet: intersection over union and the Faster R-CNN box coder that
// google/automl uses without scale factors (anchors.py → faster_rcnn_box_coder): a box is encoded
// against its anchor as ty = (cy − cyₐ)/hₐ, tx = (cx − cxₐ)/wₐ, th = log(h/hₐ), tw = log(w/wₐ).
// Boxes are [yMin, xMin, yMax, xMax] in pixels, flat arrays of 4 numbers per box. The plain
// functions compute in float64; decodeBoxesTensor is the same decoder as tensor ops.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetModelError } from '../errors.js';

/** One box: `[yMin, xMin, yMax, xMax]`. */
export type Box = [number, number, number, number];

/** Smallest box side used in logarithms, so degenerate boxes encode to finite numbers. */
const MIN_SIDE = 1e-8;

function checkFlat(name: string, values: ArrayLike<number>): number {
  if (values.length % 4 !== 0) throw new EffnetModelError(name, `expected 4 numbers per box, got ${values.length} numbers`);
  return values.length / 4;
}

/** Area of one box (0 when it is empty or inverted). */
export function boxArea(box: ArrayLike<number>, offset = 0): number {
  return Math.max(0, box[offset + 2]! - box[offset]!) * Math.max(0, box[offset + 3]! - box[offset + 1]!);
}

/**
 * Intersection over union of box `i` of `a` and box `j` of `b` (flat arrays); 0 when both are empty.
 */
export function iouAt(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  const p = 4 * i;
  const q = 4 * j;
  const h = Math.min(a[p + 2]!, b[q + 2]!) - Math.max(a[p]!, b[q]!);
  const w = Math.min(a[p + 3]!, b[q + 3]!) - Math.max(a[p + 1]!, b[q + 1]!);
  if (h <= 0 || w <= 0) return 0;
  const inter = h * w;
  const union = boxArea(a, p) + boxArea(b, q) - inter;
  return union > 0 ? inter / union : 0;
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  return iouAt(a, 0, b, 0);
}

/**
 * Every pairwise IoU of two box lists.
 *
 * @returns Row-major `[a.length/4, b.length/4]` matrix.
 */
export function iouMatrix(a: ArrayLike<number>, b: ArrayLike<number>): Float32Array {
  const n = checkFlat('a', a);
  const m = checkFlat('b', b);
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = iouAt(a, i, b, j);
  return out;
}

/**
 * Encodes boxes against anchors (box `i` against anchor `i`).
 *
 * @param boxes - `[yMin, xMin, yMax, xMax]` per box, flat.
 * @param anchors - One anchor per box, flat, same length.
 * @returns `[ty, tx, th, tw]` per box, flat, in float64.
 * @throws EffnetModelError when the lengths differ or are not multiples of 4.
 */
export function encodeBoxes(boxes: ArrayLike<number>, anchors: ArrayLike<number>): Float64Array {
  const n = checkFlat('boxes', boxes);
  if (checkFlat('anchors', anchors) !== n) throw new EffnetModelError('anchors', `need one anchor per box: ${n} boxes, ${anchors.length / 4} anchors`);
  const out = new Float64Array(4 * n);
  for (let i = 0; i < 4 * n; i += 4) {
    const ha = Math.max(MIN_SIDE, anchors[i + 2]! - anchors[i]!);
    const wa = Math.max(MIN_SIDE, anchors[i + 3]! - anchors[i + 1]!);
    const h = Math.max(MIN_SIDE, boxes[i + 2]! - boxes[i]!);
    const w = Math.max(MIN_SIDE, boxes[i + 3]! - boxes[i + 1]!);
    out[i] = ((boxes[i]! + boxes[i + 2]!) / 2 - (anchors[i]! + anchors[i + 2]!) / 2) / ha;
    out[i + 1] = ((boxes[i + 1]! + boxes[i + 3]!) / 2 - (anchors[i + 1]! + anchors[i + 3]!) / 2) / wa;
    out[i + 2] = Math.log(h / ha);
    out[i + 3] = Math.log(w / wa);
  }
  return out;
}

/**
 * Decodes `[ty, tx, th, tw]` per anchor back to boxes (the inverse of {@link encodeBoxes}).
 *
 * @returns `[yMin, xMin, yMax, xMax]` per anchor, flat, in float64.
 */
export function decodeBoxes(deltas: ArrayLike<number>, anchors: ArrayLike<number>): Float64Array {
  const n = checkFlat('deltas', deltas);
  if (checkFlat('anchors', anchors) !== n) throw new EffnetModelError('anchors', `need one anchor per delta: ${n} deltas, ${anchors.length / 4} anchors`);
  const out = new Float64Array(4 * n);
  for (let i = 0; i < 4 * n; i += 4) {
    const ha = anchors[i + 2]! - anchors[i]!;
    const wa = anchors[i + 3]! - anchors[i + 1]!;
    const cy = deltas[i]! * ha + (anchors[i]! + anchors[i + 2]!) / 2;
    const cx = deltas[i + 1]! * wa + (anchors[i + 1]! + anchors[i + 3]!) / 2;
    const h = Math.exp(deltas[i + 2]!) * ha;
    const w = Math.exp(deltas[i + 3]!) * wa;
    out[i] = cy - h / 2;
    out[i + 1] = cx - w / 2;
    out[i + 2] = cy + h / 2;
    out[i + 3] = cx + w / 2;
  }
  return out;
}

/**
 * {@link decodeBoxes} as tensor ops: `deltas` `[..., N, 4]`, `anchors` `[N, 4]` → boxes `[..., N, 4]`.
 *
 * @throws EffnetModelError when the last dimension is not 4 or the anchor counts differ.
 */
export function decodeBoxesTensor<T extends tf.Tensor>(deltas: T, anchors: tf.Tensor2D): T {
  const n = deltas.shape[deltas.rank - 2];
  if (deltas.shape[deltas.rank - 1] !== 4 || anchors.shape[1] !== 4 || anchors.shape[0] !== n) {
    throw new EffnetModelError('deltas', `expected deltas [..., ${anchors.shape[0]}, 4] for anchors [${anchors.shape.join(', ')}], got [${deltas.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const [ay1, ax1, ay2, ax2] = tf.split(anchors, 4, 1);
    const ha = tf.sub(ay2!, ay1!);
    const wa = tf.sub(ax2!, ax1!);
    const cya = tf.div(tf.add(ay1!, ay2!), 2);
    const cxa = tf.div(tf.add(ax1!, ax2!), 2);
    const [ty, tx, th, tw] = tf.split(deltas, 4, deltas.rank - 1);
    const cy = tf.add(tf.mul(ty!, ha), cya);
    const cx = tf.add(tf.mul(tx!, wa), cxa);
    const halfH = tf.div(tf.mul(tf.exp(th!), ha), 2);
    const halfW = tf.div(tf.mul(tf.exp(tw!), wa), 2);
    return tf.concat([tf.sub(cy, halfH), tf.sub(cx, halfW), tf.add(cy, halfH), tf.add(cx, halfW)], deltas.rank - 1) as T;
  });
}

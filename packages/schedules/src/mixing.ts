// Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) on a batch with one-hot or smoothed
// labels, and label smoothing. Each image is mixed with the image at the mirrored position of the
// batch (i with N−1−i, as timm does), with one λ ~ Beta(α, α) per batch drawn from a seeded
// JavaScript stream. Mixup: x = λ·x_i + (1−λ)·x_j, labels alike. CutMix: a box of area about
// (1−λ)·H·W (centre uniform, clipped at the border) is pasted from x_j, and the labels are mixed
// by the exact pasted area. α = 0 turns either off (λ = 1).
import * as tf from '@tensorflow/tfjs-core';
import { EffnetScheduleError } from './errors.js';
import { checkImages, checkInteger, checkNumber } from './image-batch.js';
import { deriveSeed, SeededRandom } from './seeded-random.js';

/** A mixed batch: images, labels (rows sum to 1 when the input rows do) and the λ used. */
export interface MixedBatch {
  /** The mixed images, same shape as the input. */
  images: tf.Tensor4D;
  /** The mixed labels, same shape as the input. */
  labels: tf.Tensor2D;
  /** Weight of each image's own label (for CutMix: 1 − pasted area / image area). */
  lambda: number;
}

/** A pasted box in pixels: rows top…bottom−1, columns left…right−1 (empty when nothing was pasted). */
export interface PasteBox {
  /** First row. */
  top: number;
  /** First column. */
  left: number;
  /** Row after the last. */
  bottom: number;
  /** Column after the last. */
  right: number;
}

/** A CutMix batch also says which box was pasted. */
export interface CutMixBatch extends MixedBatch {
  /** The pasted box. */
  box: PasteBox;
}

/** Mixes a batch; `call` picks the random draw (default: a counter of calls). */
export type Mixer<T extends MixedBatch = MixedBatch> = (images: tf.Tensor4D, labels: tf.Tensor2D, call?: number) => T;

/** Options of {@link mixup} and {@link cutmix}. */
export interface MixOptions {
  /** Seed of λ (and of the CutMix box). Default 0. */
  seed?: number;
}

function checkBatch(images: tf.Tensor4D, labels: tf.Tensor2D): void {
  checkImages(images);
  if (labels.rank !== 2 || labels.shape[0] !== images.shape[0]) {
    throw new EffnetScheduleError('labels', `must be [N, classes] with N = ${images.shape[0]} (one-hot or smoothed rows), got shape [${labels.shape.join(', ')}]`);
  }
}

function checkAlpha(alpha: number, seed: number): void {
  checkNumber('alpha', alpha, 0, 1e6);
  checkInteger('seed', seed, -(2 ** 31), 2 ** 32 - 1);
}

/** Mixes each row with the mirrored row: w·t + (1 − w)·reverse(t). */
function mixRows<T extends tf.Tensor>(t: T, weight: number): T {
  return tf.add(tf.mul(t, weight), tf.mul(tf.reverse(t, 0), 1 - weight)) as T;
}

/** The λ of Mixup and CutMix draw `call` with `alpha` and `seed` (1 when alpha is 0). */
export function mixLambda(alpha: number, seed: number, call: number): number {
  return alpha === 0 ? 1 : new SeededRandom(deriveSeed(seed, call)).beta(alpha, alpha);
}

/** Mixup with λ ~ Beta(α, α): `mixup(0.2)(images, labels)` → {images, labels, lambda}. */
export function mixup(alpha: number, options: MixOptions = {}): Mixer {
  const seed = options.seed ?? 0;
  checkAlpha(alpha, seed);
  let calls = 0;
  return (images, labels, call) => {
    checkBatch(images, labels);
    const lambda = mixLambda(alpha, seed, call ?? calls);
    calls += 1;
    return tf.tidy(() => ({ images: mixRows(images, lambda), labels: mixRows(labels, lambda), lambda }));
  };
}

/** The CutMix box for an H × W image and λ, as timm draws it (centre uniform, sides √(1−λ)·H and √(1−λ)·W, clipped). */
export function cutmixBox(height: number, width: number, lambda: number, random: SeededRandom): PasteBox {
  const ratio = Math.sqrt(1 - lambda);
  const [cutH, cutW] = [Math.floor(height * ratio), Math.floor(width * ratio)];
  const [cy, cx] = [random.int(height), random.int(width)];
  const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
  return {
    top: clip(cy - Math.floor(cutH / 2), height),
    bottom: clip(cy + Math.floor(cutH / 2), height),
    left: clip(cx - Math.floor(cutW / 2), width),
    right: clip(cx + Math.floor(cutW / 2), width),
  };
}

/** CutMix with λ ~ Beta(α, α): `cutmix(1)(images, labels)` → {images, labels, lambda, box}; labels mixed by the pasted area. */
export function cutmix(alpha: number, options: MixOptions = {}): Mixer<CutMixBatch> {
  const seed = options.seed ?? 0;
  checkAlpha(alpha, seed);
  let calls = 0;
  return (images, labels, call) => {
    checkBatch(images, labels);
    const draw = call ?? calls;
    calls += 1;
    const [, h, w] = images.shape;
    const random = new SeededRandom(deriveSeed(seed, draw));
    const drawn = alpha === 0 ? 1 : random.beta(alpha, alpha);
    const box = cutmixBox(h, w, drawn, random);
    const lambda = 1 - ((box.bottom - box.top) * (box.right - box.left)) / (h * w);
    const mixed = tf.tidy(() => {
      const rows = tf.logicalAnd(tf.greaterEqual(tf.range(0, h), box.top), tf.less(tf.range(0, h), box.bottom));
      const cols = tf.logicalAnd(tf.greaterEqual(tf.range(0, w), box.left), tf.less(tf.range(0, w), box.right));
      const inBox = tf.broadcastTo(tf.logicalAnd(tf.reshape(rows, [1, h, 1, 1]), tf.reshape(cols, [1, 1, w, 1])), images.shape);
      return { images: tf.where(inBox, tf.reverse(images, 0), images) as tf.Tensor4D, labels: mixRows(labels, lambda) };
    });
    return { ...mixed, lambda, box };
  };
}

/** Label smoothing: (1 − ε)·labels + ε / classes, ε in [0, 1). */
export function smoothLabels(labels: tf.Tensor2D, epsilon: number): tf.Tensor2D {
  if (labels.rank !== 2) throw new EffnetScheduleError('labels', `must be [N, classes], got shape [${labels.shape.join(', ')}]`);
  checkNumber('epsilon', epsilon, 0, 0.999999);
  return tf.tidy(() => tf.add(tf.mul(labels, 1 - epsilon), epsilon / labels.shape[1]));
}

// Random-resized crop (Inception/torchvision: a box of 8-100 % of the area with aspect ratio
// 3/4-4/3, ten tries then the centre crop), random horizontal flip and resizing to a stage's size,
// for NHWC batches of any range. Boxes and coin flips are drawn per image from a seeded
// JavaScript stream; the pixels move with tf.image.cropAndResize, tf.reverse and
// tf.image.resizeBilinear (bilinear, half-pixel centres), so a seed gives the same batch everywhere.
// Antialiased shrinking is two matrix products with Pillow's stretched triangle filter.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetScheduleError } from './errors.js';
import { checkImages, checkInteger, checkNumber } from './image-batch.js';
import type { Augmentation } from './rand-augment.js';
import { deriveSeed, SeededRandom } from './seeded-random.js';

/** Options of {@link resizeImages}. */
export interface ResizeOptions {
  /**
   * When shrinking, average over the whole footprint of each output pixel (Pillow's and
   * torchvision's antialiased bilinear: a triangle filter stretched by the scale factor) instead of
   * sampling the two nearest pixels, which skips most of the input and aliases (default false).
   * Enlarging is plain bilinear either way.
   */
  antialias?: boolean;
}

/** Resizes a batch to `size` × `size` (or [height, width]) with bilinear sampling and half-pixel centres. */
export function resizeImages(images: tf.Tensor4D, size: number | readonly [number, number], options: ResizeOptions = {}): tf.Tensor4D {
  checkImages(images);
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  checkInteger('size', h, 1, 1 << 14);
  checkInteger('size', w, 1, 1 << 14);
  const [, inH, inW] = images.shape;
  if (!options.antialias || (h >= inH && w >= inW)) return tf.tidy(() => tf.image.resizeBilinear(images, [h, w], false, true));
  return tf.tidy(() => {
    const [n, , , c] = images.shape;
    // Separable: rows of the width matrix, then of the height matrix, as two matrix products.
    const channelsFirst = tf.reshape(tf.transpose(images, [0, 3, 1, 2]), [n * c * inH, inW]);
    const across = tf.reshape(tf.matMul(channelsFirst, tf.tensor2d(resizeMatrix(inW, w), [w, inW]), false, true), [n * c, inH, w]);
    const columns = tf.reshape(tf.transpose(across, [0, 2, 1]), [n * c * w, inH]);
    const down = tf.reshape(tf.matMul(columns, tf.tensor2d(resizeMatrix(inH, h), [h, inH]), false, true), [n, c, w, h]);
    return tf.transpose(down, [0, 3, 2, 1]) as tf.Tensor4D;
  });
}

/**
 * The `outSize` × `inSize` matrix of Pillow's bilinear resize along one axis: output pixel i is
 * centred at (i + 0.5)·scale in input coordinates, and input pixel j (centre j + 0.5) weighs
 * max(0, 1 − |j + 0.5 − centre| / max(scale, 1)), the weights of each row summing to 1.
 */
export function resizeMatrix(inSize: number, outSize: number): Float32Array {
  const scale = inSize / outSize;
  const stretch = Math.max(scale, 1);
  const matrix = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const first = Math.max(0, Math.trunc(centre - stretch + 0.5));
    const last = Math.min(inSize, Math.trunc(centre + stretch + 0.5));
    let sum = 0;
    for (let j = first; j < last; j++) {
      const weight = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / stretch));
      matrix[i * inSize + j] = weight;
      sum += weight;
    }
    for (let j = first; j < last; j++) matrix[i * inSize + j]! /= sum;
  }
  return matrix;
}

/** Options of {@link randomFlip}. */
export interface FlipOptions {
  /** Seed of the coin flips. */
  seed: number;
  /** Chance that an image is mirrored (default 0.5). */
  probability?: number;
}

/** Mirrors each image left-right with probability `probability`, per image. */
export function randomFlip(options: FlipOptions): Augmentation {
  checkInteger('seed', options.seed, -(2 ** 31), 2 ** 32 - 1);
  const p = checkNumber('probability', options.probability ?? 0.5, 0, 1);
  let calls = 0;
  return (images, call) => {
    checkImages(images);
    const random = new SeededRandom(deriveSeed(options.seed, call ?? calls));
    calls += 1;
    const n = images.shape[0];
    const flips = Array.from({ length: n }, () => random.uniform() < p);
    return tf.tidy(() => {
      const mask = tf.broadcastTo(tf.reshape(tf.tensor1d(flips, 'bool'), [n, 1, 1, 1]), images.shape);
      return tf.where(mask, tf.reverse(images, 2), images) as tf.Tensor4D;
    });
  };
}

/** Options of {@link randomResizedCrop}. */
export interface RandomResizedCropOptions {
  /** Output size (square) or [height, width]. */
  size: number | readonly [number, number];
  /** Seed of the boxes. */
  seed: number;
  /** Range of the box area as a fraction of the image (default [0.08, 1]). */
  scale?: readonly [number, number];
  /** Range of the box aspect ratio width / height (default [3/4, 4/3]), sampled log-uniformly. */
  ratio?: readonly [number, number];
}

/** A crop box in pixels (end exclusive). */
export interface CropBox {
  /** First row. */
  top: number;
  /** First column. */
  left: number;
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
}

/** The box torchvision's RandomResizedCrop would draw for an H × W image (ten tries, then the centre crop). */
export function randomCropBox(height: number, width: number, scale: readonly [number, number], ratio: readonly [number, number], random: SeededRandom): CropBox {
  const area = height * width;
  const [logLo, logHi] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * (scale[0] + (scale[1] - scale[0]) * random.uniform());
    const aspect = Math.exp(logLo + (logHi - logLo) * random.uniform());
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      return { top: random.int(height - h + 1), left: random.int(width - w + 1), height: h, width: w };
    }
  }
  const inRatio = width / height;
  const [w, h] = inRatio < ratio[0] ? [width, Math.round(width / ratio[0])] : inRatio > ratio[1] ? [Math.round(height * ratio[1]), height] : [width, height];
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/** Crops a random box of each image (per image) and resizes it to `size` (bilinear). */
export function randomResizedCrop(options: RandomResizedCropOptions): Augmentation {
  const { scale = [0.08, 1], ratio = [3 / 4, 4 / 3] } = options;
  const [outH, outW] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
  checkInteger('size', outH, 1, 1 << 14);
  checkInteger('size', outW, 1, 1 << 14);
  checkInteger('seed', options.seed, -(2 ** 31), 2 ** 32 - 1);
  if (!(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1)) throw new EffnetScheduleError('scale', `must be [lo, hi] with 0 < lo ≤ hi ≤ 1, got [${scale.join(', ')}]`);
  if (!(ratio[0] > 0 && ratio[0] <= ratio[1] && Number.isFinite(ratio[1]))) throw new EffnetScheduleError('ratio', `must be [lo, hi] with 0 < lo ≤ hi, got [${ratio.join(', ')}]`);
  let calls = 0;
  return (images, call) => {
    checkImages(images);
    const random = new SeededRandom(deriveSeed(options.seed, call ?? calls));
    calls += 1;
    const [n, h, w] = images.shape;
    const boxes = Array.from({ length: n }, () => randomCropBox(h, w, scale, ratio, random));
    const y = (v: number) => (h > 1 ? v / (h - 1) : 0);
    const x = (v: number) => (w > 1 ? v / (w - 1) : 0);
    return tf.tidy(() => {
      const normalised = tf.tensor2d(boxes.map((b) => [y(b.top), x(b.left), y(b.top + b.height - 1), x(b.left + b.width - 1)]), [n, 4], 'float32');
      return tf.image.cropAndResize(images, normalised, tf.range(0, n, 1, 'int32') as tf.Tensor1D, [outH, outW], 'bilinear');
    });
  };
}

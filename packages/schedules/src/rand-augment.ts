// RandAugment (Cubuk et al. 2020) over a batch: each image gets `n` operations chosen uniformly
// (per image) from the fourteen of spec/training.md, all at one magnitude on the 0-30 scale of
// the TensorFlow implementation used by EfficientNet/EfficientNetV2 (level = magnitude / 10, so
// 10 is the usual strength), optionally jittered by a normal of `magnitudeStd` (as timm). Signed
// operations (rotate, shear, translate, and the enhance factors 1 ± 0.9·level) take a random
// sign. The operations work on 0-255 values as Pillow does; 0-1 batches are scaled, rounded to
// 256 levels and scaled back. Every random choice comes from a seeded JavaScript stream, so a seed
// gives the same batch on every backend.
import * as tf from '@tensorflow/tfjs-core';
import { rotate, shearX, shearY, translateX, translateY } from './affine-ops.js';
import { EffnetScheduleError } from './errors.js';
import { checkImages, checkInteger, checkNumber } from './image-batch.js';
import { autocontrast, brightness, color, contrast, equalize, identity, posterize, sharpness, solarize } from './pixel-ops.js';
import { deriveSeed, SeededRandom } from './seeded-random.js';

/** The operations RandAugment chooses from, in the order of spec/training.md. */
export const RAND_AUGMENT_OPS = [
  'identity', 'autocontrast', 'equalize', 'rotate', 'solarize', 'color', 'posterize',
  'contrast', 'brightness', 'sharpness', 'shearX', 'shearY', 'translateX', 'translateY',
] as const;

/** The name of one RandAugment operation. */
export type RandAugmentOp = (typeof RAND_AUGMENT_OPS)[number];

/** How the values of a batch are scaled: uint8-range floats or 0-1 floats. */
export type PixelRange = '0-255' | '0-1';

/** Options of {@link randAugment}. */
export interface RandAugmentOptions {
  /** Operations per image (≥ 0; 2 is usual). */
  n: number;
  /** Magnitude on the 0-30 scale (10 is TensorFlow's usual strength). */
  magnitude: number;
  /** Standard deviation of a normal jitter of the magnitude, drawn per operation and clipped to 0-30 (default 0). */
  magnitudeStd?: number;
  /** Seed of every random choice. */
  seed: number;
  /** Scale of the batch values, declared by the caller. */
  range: PixelRange;
  /** Value of pixels moved in from outside by the geometric operations, 0-255 scale (default 128). */
  fill?: number;
}

/** One operation as applied to one image: the op, its magnitude after jitter, and its sign. */
export interface RandAugmentStep {
  /** Which operation. */
  op: RandAugmentOp;
  /** Magnitude used, 0-30. */
  magnitude: number;
  /** +1 or −1 (used by the signed operations). */
  sign: 1 | -1;
}

/** An image augmentation: a new batch from a batch; `call` picks the random draw (default: a counter of calls). */
export type Augmentation = (images: tf.Tensor4D, call?: number) => tf.Tensor4D;

/** The parameter of `op` at `magnitude` (0-30) with `sign`, for an image `width` × `height`. */
export function randAugmentParameter(op: RandAugmentOp, magnitude: number, sign: 1 | -1, width: number, height: number): number {
  const level = magnitude / 10;
  switch (op) {
    case 'rotate':
      return sign * 30 * level;
    case 'shearX':
    case 'shearY':
      return sign * 0.3 * level;
    case 'translateX':
      return sign * 0.45 * level * width;
    case 'translateY':
      return sign * 0.45 * level * height;
    case 'posterize':
      return Math.min(8, Math.max(1, 8 - Math.round(4 * level)));
    case 'solarize':
      return Math.min(256, Math.max(0, 256 - 256 * level));
    case 'color':
    case 'contrast':
    case 'brightness':
    case 'sharpness':
      return Math.max(0, 1 + sign * 0.9 * level);
    default:
      return 0;
  }
}

/** Applies one operation at its parameter to a 0-255 batch. */
export function applyRandAugmentOp(images: tf.Tensor4D, op: RandAugmentOp, parameter: number, fill = 128): tf.Tensor4D {
  switch (op) {
    case 'identity':
      return identity(images);
    case 'autocontrast':
      return autocontrast(images);
    case 'equalize':
      return equalize(images);
    case 'rotate':
      return rotate(images, parameter, { fill });
    case 'solarize':
      return solarize(images, parameter);
    case 'color':
      return color(images, parameter);
    case 'posterize':
      return posterize(images, parameter);
    case 'contrast':
      return contrast(images, parameter);
    case 'brightness':
      return brightness(images, parameter);
    case 'sharpness':
      return sharpness(images, parameter);
    case 'shearX':
      return shearX(images, parameter, { fill });
    case 'shearY':
      return shearY(images, parameter, { fill });
    case 'translateX':
      return translateX(images, parameter, { fill });
    case 'translateY':
      return translateY(images, parameter, { fill });
  }
}

function checkOptions(options: RandAugmentOptions): void {
  if (typeof options !== 'object' || options === null) throw new EffnetScheduleError('options', 'must be an object {n, magnitude, seed, range}');
  checkInteger('n', options.n, 0, 64);
  checkNumber('magnitude', options.magnitude, 0, 30);
  checkNumber('magnitudeStd', options.magnitudeStd ?? 0, 0, 30);
  checkInteger('seed', options.seed, -(2 ** 31), 2 ** 32 - 1);
  if (options.range !== '0-255' && options.range !== '0-1') {
    throw new EffnetScheduleError('range', `must be '0-255' (uint8-range floats) or '0-1', got ${String(options.range)}`);
  }
  checkNumber('fill', options.fill ?? 128, 0, 255);
}

/** The operations each image of a batch of `batchSize` gets on draw `call` (what {@link randAugment} applies). */
export function randAugmentPlan(options: RandAugmentOptions, batchSize: number, call: number): RandAugmentStep[][] {
  checkOptions(options);
  const random = new SeededRandom(deriveSeed(options.seed, call));
  const std = options.magnitudeStd ?? 0;
  return Array.from({ length: batchSize }, () =>
    Array.from({ length: options.n }, () => {
      const op = RAND_AUGMENT_OPS[random.int(RAND_AUGMENT_OPS.length)]!;
      const sign = random.uniform() < 0.5 ? -1 : 1;
      const magnitude = std > 0 ? Math.min(30, Math.max(0, options.magnitude + std * random.normal())) : options.magnitude;
      return { op, magnitude, sign } as RandAugmentStep;
    }),
  );
}

/**
 * RandAugment as an {@link Augmentation}: `randAugment({n: 2, magnitude: 10, seed: 1, range: '0-1'})`
 * returns a function from a batch [N, H, W, C] (C = 1 or 3) to the augmented batch (same shape and
 * range). The k-th call without `call` uses draw k; pass `call` (e.g. the step) to make each batch
 * a function of (seed, call) alone. Output values are whole grey levels (multiples of 1/255 for '0-1').
 */
export function randAugment(options: RandAugmentOptions): Augmentation {
  checkOptions(options);
  const scale = options.range === '0-1' ? 255 : 1;
  const fill = options.fill ?? 128;
  let calls = 0;
  return (images, call) => {
    checkImages(images);
    const draw = call ?? calls;
    calls += 1;
    const [n, h, w] = images.shape;
    const plan = randAugmentPlan(options, n, draw);
    return tf.tidy(() => {
      const bytes = tf.round(tf.clipByValue(tf.mul(images, scale), 0, 255)) as tf.Tensor4D;
      const parts = tf.split(bytes, n, 0).map((image, i) => {
        let x = image as tf.Tensor4D;
        for (const step of plan[i]!) x = applyRandAugmentOp(x, step.op, randAugmentParameter(step.op, step.magnitude, step.sign, w, h), fill);
        return x;
      });
      const out = n === 1 ? parts[0]! : tf.concat(parts, 0);
      return (scale === 1 ? out : tf.div(out, scale)) as tf.Tensor4D;
    });
  };
}

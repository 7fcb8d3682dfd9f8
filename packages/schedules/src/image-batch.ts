// Checks shared by the image operations: a batch is a rank-4 NHWC float tensor with 1 or 3
// channels; parameters are finite numbers in their range. Failures are EffnetScheduleError.
import type * as tf from '@tensorflow/tfjs-core';
import { EffnetScheduleError } from './errors.js';

/** Throws unless `images` is an NHWC batch with 1 or 3 channels. */
export function checkImages(images: tf.Tensor, field = 'images'): asserts images is tf.Tensor4D {
  if (images.rank !== 4) {
    throw new EffnetScheduleError(field, `must be a batch [N, H, W, C] (rank 4), got shape [${images.shape.join(', ')}]; add a batch axis with tf.expandDims(image, 0)`);
  }
  const c = images.shape[3];
  if (c !== 1 && c !== 3) throw new EffnetScheduleError(field, `must have 1 or 3 channels (grey or RGB), got ${c}`);
  if (images.dtype !== 'float32' && images.dtype !== 'int32') throw new EffnetScheduleError(field, `must be float32 or int32, got ${images.dtype}`);
}

/** Throws unless `value` is a finite number in [min, max]. */
export function checkNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new EffnetScheduleError(field, `must be a finite number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new EffnetScheduleError(field, `must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

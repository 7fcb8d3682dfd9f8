// The geometric operations of RandAugment as Pillow's `Image.transform(size, AFFINE, matrix,
// NEAREST, fillcolor)`: output pixel (x, y) takes the input pixel at ⌊M·(x + ½, y + ½)⌋ (Pillow
// samples at pixel centres and truncates), or the fill value where that falls outside the image.
// rotate follows `Image.rotate(angle)` (about the centre, counter-clockwise, same size); shearX/Y
// and translateX/Y use the matrices of the RandAugment implementations in timm and TensorFlow
// (shear about the top-left corner; translate by whole or fractional pixels).
import * as tf from '@tensorflow/tfjs-core';
import { checkImages, checkNumber } from './image-batch.js';

/** An affine map from output to input coordinates: x_in = a·x + b·y + c, y_in = d·x + e·y + f. */
export type AffineMatrix = readonly [number, number, number, number, number, number];

/** Options of the geometric operations. */
export interface AffineOptions {
  /** Value of the pixels that come from outside the image (0-255 scale; default 128, as RandAugment). */
  fill?: number;
}

/** Input row and column of every output pixel, [H, W] int32 each, as Pillow's NEAREST affine computes them. */
function sourceIndices(h: number, w: number, matrix: AffineMatrix): [tf.Tensor2D, tf.Tensor2D] {
  const [a, b, c, d, e, f] = matrix;
  if (b === 0 && d === 0) {
    // Pillow's scale path (ImagingScaleAffine): ⌊a·(x + ½) + c⌋ in floating point.
    const xin = tf.floor(tf.add(tf.mul(tf.add(tf.range(0, w, 1, 'float32'), 0.5), a), c));
    const yin = tf.floor(tf.add(tf.mul(tf.add(tf.range(0, h, 1, 'float32'), 0.5), e), f));
    return [
      tf.cast(tf.broadcastTo(tf.reshape(yin, [h, 1]), [h, w]), 'int32') as tf.Tensor2D,
      tf.cast(tf.broadcastTo(tf.reshape(xin, [1, w]), [h, w]), 'int32') as tf.Tensor2D,
    ];
  }
  // Pillow's fixed-point path (affine_fixed): coefficients in 16.16 fixed point, the offsets taken
  // at the first pixel centre, exact integer sums, then an arithmetic shift right by 16.
  const fix = (v: number) => Math.floor(v * 65536 + 0.5);
  const along = (start: number, perX: number, perY: number) => {
    const xs = tf.reshape(tf.mul(tf.range(0, w, 1, 'int32'), tf.scalar(fix(perX), 'int32')), [1, w]);
    const ys = tf.reshape(tf.mul(tf.range(0, h, 1, 'int32'), tf.scalar(fix(perY), 'int32')), [h, 1]);
    return tf.floorDiv(tf.add(tf.add(xs, ys), tf.scalar(fix(start), 'int32')), tf.scalar(65536, 'int32')) as tf.Tensor2D;
  };
  return [along(f + e * 0.5 + d * 0.5, d, e), along(c + b * 0.5 + a * 0.5, a, b)];
}

/**
 * Pillow's `Image.transform(size, Image.AFFINE, matrix, Image.NEAREST, fillcolor=fill)` on every
 * image of the batch: the matrix maps output pixel centres to input coordinates. Like Pillow, a
 * pure scale/translation is computed in floating point and any other matrix in 16.16 fixed point.
 */
export function affineTransform(images: tf.Tensor4D, matrix: AffineMatrix, options: AffineOptions = {}): tf.Tensor4D {
  checkImages(images);
  matrix.forEach((v, i) => checkNumber(`matrix[${i}]`, v, -4096, 4096));
  const fill = checkNumber('fill', options.fill ?? 128, 0, 255);
  const [n, h, w, c] = images.shape;
  return tf.tidy(() => {
    // Float32 from here on (exact below 2^24): tfjs-backend-wasm's clipByValue mishandles int32.
    const [yin, xin] = sourceIndices(h, w, matrix).map((t) => tf.cast(t, 'float32')) as [tf.Tensor2D, tf.Tensor2D];
    const inside = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(xin, 0), tf.less(xin, w)),
      tf.logicalAnd(tf.greaterEqual(yin, 0), tf.less(yin, h)),
    );
    const index = tf.cast(tf.add(tf.mul(tf.clipByValue(yin, 0, h - 1), w), tf.clipByValue(xin, 0, w - 1)), 'int32');
    const moved = tf.reshape(tf.gather(tf.reshape(images, [n, h * w, c]), tf.reshape(index, [-1]), 1), [n, h, w, c]);
    const keep = tf.broadcastTo(tf.reshape(inside, [1, h, w, 1]), [n, h, w, c]);
    return tf.where(keep, moved, tf.fill([n, h, w, c], fill, moved.dtype)) as tf.Tensor4D;
  });
}

/** Rotates counter-clockwise by `degrees` about the image centre, keeping the size (Pillow `Image.rotate`). */
export function rotate(images: tf.Tensor4D, degrees: number, options: AffineOptions = {}): tf.Tensor4D {
  checkImages(images);
  checkNumber('degrees', degrees, -360, 360);
  const [, h, w] = images.shape;
  const angle = -((degrees % 360) * Math.PI) / 180;
  const round15 = (x: number) => Math.round(x * 1e15) / 1e15;
  const [cos, sin] = [round15(Math.cos(angle)), round15(Math.sin(angle))];
  const [cx, cy] = [w / 2, h / 2];
  // Pillow: the matrix [cos, sin, 0, −sin, cos, 0] moved so that it turns about (w/2, h/2).
  const c = cos * -cx + sin * -cy + cx;
  const f = -sin * -cx + cos * -cy + cy;
  return affineTransform(images, [cos, sin, c, -sin, cos, f], options);
}

/** Shears along x: x_in = x + factor·y (the RandAugment ShearX). */
export function shearX(images: tf.Tensor4D, factor: number, options: AffineOptions = {}): tf.Tensor4D {
  checkNumber('factor', factor, -10, 10);
  return affineTransform(images, [1, factor, 0, 0, 1, 0], options);
}

/** Shears along y: y_in = factor·x + y (the RandAugment ShearY). */
export function shearY(images: tf.Tensor4D, factor: number, options: AffineOptions = {}): tf.Tensor4D {
  checkNumber('factor', factor, -10, 10);
  return affineTransform(images, [1, 0, 0, factor, 1, 0], options);
}

/** Moves the content left by `pixels` (right when negative): x_in = x + pixels (the RandAugment TranslateX). */
export function translateX(images: tf.Tensor4D, pixels: number, options: AffineOptions = {}): tf.Tensor4D {
  checkNumber('pixels', pixels, -1e6, 1e6);
  return affineTransform(images, [1, 0, pixels, 0, 1, 0], options);
}

/** Moves the content up by `pixels` (down when negative): y_in = y + pixels (the RandAugment TranslateY). */
export function translateY(images: tf.Tensor4D, pixels: number, options: AffineOptions = {}): tf.Tensor4D {
  checkNumber('pixels', pixels, -1e6, 1e6);
  return affineTransform(images, [1, 0, 0, 0, 1, pixels], options);
}

// The pixel operations of RandAugment, each as Pillow computes it (ImageOps and ImageEnhance of
// Pillow 9), on NHWC batches of 0-255 values (floats holding integers, as Pillow's uint8): invert,
// posterize, solarize, autocontrast, equalize (exact), and color, contrast, brightness, sharpness
// (Pillow's `Image.blend` of a degenerate image with the input, truncated to an integer as Pillow
// does). autocontrast and equalize read a small per-channel summary (min/max or a 256-bin
// histogram) back to JavaScript and build their lookup table in double precision exactly as
// Pillow's Python code does, then apply it with tf.gather; everything else is tensor arithmetic.
import * as tf from '@tensorflow/tfjs-core';
import { checkImages, checkInteger, checkNumber } from './image-batch.js';

/** The input unchanged (a copy, so the caller may dispose either). */
export function identity(images: tf.Tensor4D): tf.Tensor4D {
  checkImages(images);
  return tf.clone(images);
}

/** 255 − x (Pillow `ImageOps.invert`). */
export function invert(images: tf.Tensor4D): tf.Tensor4D {
  checkImages(images);
  return tf.tidy(() => tf.sub(255, images));
}

/** Keeps the top `bits` bits of every value (Pillow `ImageOps.posterize`), bits in 1…8. */
export function posterize(images: tf.Tensor4D, bits: number): tf.Tensor4D {
  checkImages(images);
  checkInteger('bits', bits, 1, 8);
  const step = 2 ** (8 - bits);
  return tf.tidy(() => tf.mul(tf.floor(tf.div(images, step)), step) as tf.Tensor4D);
}

/** Inverts every value at or above `threshold` (Pillow `ImageOps.solarize`), threshold in 0…256. */
export function solarize(images: tf.Tensor4D, threshold: number): tf.Tensor4D {
  checkImages(images);
  checkNumber('threshold', threshold, 0, 256);
  return tf.tidy(() => tf.where(tf.less(images, threshold), images, tf.sub(255, images)) as tf.Tensor4D);
}

/** Per image and channel, `table[n·C + c]` maps 0…255; returns table[x]. */
function applyTables(images: tf.Tensor4D, tables: Int32Array): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  return tf.tidy(() => {
    const lut = tf.tensor1d(tables, 'float32');
    const offsets = tf.reshape(tf.mul(tf.range(0, n * c, 1, 'float32'), 256), [n, 1, 1, c]);
    const index = tf.cast(tf.add(tf.clipByValue(tf.floor(images), 0, 255), offsets), 'int32');
    return tf.reshape(tf.gather(lut, tf.reshape(index, [-1])), [n, h, w, c]);
  });
}

/** Per image and channel, the 256-bin histograms as one array of N·C·256 counts. */
function histograms(images: tf.Tensor4D): Int32Array {
  const [n, h, w, c] = images.shape;
  const counts = tf.tidy(() => {
    const values = tf.cast(tf.clipByValue(tf.floor(images), 0, 255), 'int32');
    const rows = tf.reshape(tf.transpose(values, [0, 3, 1, 2]), [n * c, h * w]) as tf.Tensor2D;
    return tf.denseBincount(rows, tf.tensor2d([], [0, 0], 'int32'), 256);
  });
  const data = Int32Array.from(counts.dataSync());
  counts.dispose();
  return data;
}

/**
 * Stretches each channel of each image so its darkest value becomes 0 and its brightest 255
 * (Pillow `ImageOps.autocontrast` with no cutoff); a flat channel is left as it is.
 */
export function autocontrast(images: tf.Tensor4D): tf.Tensor4D {
  checkImages(images);
  const [n, , , c] = images.shape;
  const [lows, highs] = tf.tidy(() => [tf.min(images, [1, 2]), tf.max(images, [1, 2])]) as [tf.Tensor, tf.Tensor];
  const lo = lows.dataSync();
  const hi = highs.dataSync();
  lows.dispose();
  highs.dispose();
  const tables = new Int32Array(n * c * 256);
  for (let k = 0; k < n * c; k++) {
    const low = Math.max(0, Math.floor(lo[k]!));
    const high = Math.min(255, Math.floor(hi[k]!));
    const scale = 255 / (high - low);
    const offset = -low * scale;
    for (let i = 0; i < 256; i++) {
      // Pillow: int(i * scale + offset) in doubles, clamped to 0…255; identity when high <= low.
      tables[k * 256 + i] = high <= low ? i : Math.min(255, Math.max(0, Math.trunc(i * scale + offset)));
    }
  }
  return applyTables(images, tables);
}

/**
 * Equalises the histogram of each channel of each image (Pillow `ImageOps.equalize`): with h
 * the histogram and step = ⌊(pixels − count of the brightest value present) / 255⌋, value i
 * becomes ⌊(⌊step/2⌋ + Σ_{j<i} h[j]) / step⌋; a channel with one value, or step 0, is unchanged.
 */
export function equalize(images: tf.Tensor4D): tf.Tensor4D {
  checkImages(images);
  const [n, h, w, c] = images.shape;
  const hist = histograms(images);
  const tables = new Int32Array(n * c * 256);
  for (let k = 0; k < n * c; k++) {
    const bins = hist.subarray(k * 256, k * 256 + 256);
    let last = 0;
    let distinct = 0;
    for (let i = 0; i < 256; i++) {
      if (bins[i]! > 0) {
        last = bins[i]!;
        distinct += 1;
      }
    }
    const step = Math.floor((h * w - last) / 255);
    let acc = Math.floor(step / 2);
    for (let i = 0; i < 256; i++) {
      tables[k * 256 + i] = distinct <= 1 || step === 0 ? i : Math.min(255, Math.floor(acc / step));
      acc += bins[i]!;
    }
  }
  return applyTables(images, tables);
}

/**
 * Pillow's `Image.blend(degenerate, images, factor)`: degenerate + factor·(images − degenerate)
 * in float32, clipped to 0…255 and truncated to an integer.
 */
function blend(degenerate: tf.Tensor, images: tf.Tensor4D, factor: number): tf.Tensor4D {
  return tf.floor(tf.clipByValue(tf.add(degenerate, tf.mul(factor, tf.sub(images, degenerate))), 0, 255)) as tf.Tensor4D;
}

/** ITU-R 601-2 luma as Pillow's RGB → L: (19595 R + 38470 G + 7471 B + 2^15) >> 16, shape [N, H, W, 1]. */
function luma(images: tf.Tensor4D): tf.Tensor4D {
  if (images.shape[3] === 1) return images;
  const [r, g, b] = tf.split(images, 3, 3);
  const sum = tf.addN([tf.mul(r!, 19595), tf.mul(g!, 38470), tf.mul(b!, 7471), tf.fill(r!.shape, 32768)]);
  return tf.floor(tf.div(sum, 65536)) as tf.Tensor4D;
}

/** Colour saturation: blends with the grey version of the image (Pillow `ImageEnhance.Color`); 1 is the identity, 0 grey. */
export function color(images: tf.Tensor4D, factor: number): tf.Tensor4D {
  checkImages(images);
  checkNumber('factor', factor, 0, 1e6);
  return tf.tidy(() => blend(luma(images), images, factor));
}

/**
 * Contrast: blends with a flat image at the rounded mean luma of each image (Pillow
 * `ImageEnhance.Contrast`); 1 is the identity, 0 flat grey.
 */
export function contrast(images: tf.Tensor4D, factor: number): tf.Tensor4D {
  checkImages(images);
  checkNumber('factor', factor, 0, 1e6);
  return tf.tidy(() => blend(tf.floor(tf.add(tf.mean(luma(images), [1, 2, 3], true), 0.5)), images, factor));
}

/** Brightness: blends with black (Pillow `ImageEnhance.Brightness`); 1 is the identity, 0 black. */
export function brightness(images: tf.Tensor4D, factor: number): tf.Tensor4D {
  checkImages(images);
  checkNumber('factor', factor, 0, 1e6);
  return tf.tidy(() => blend(tf.zerosLike(images), images, factor));
}

/**
 * Sharpness: blends with Pillow's SMOOTH filter of the image (3×3 kernel 1 1 1 / 1 5 1 / 1 1 1,
 * divided by 13; the one-pixel border is kept) (Pillow `ImageEnhance.Sharpness`); 1 is the
 * identity, below 1 blurs, above 1 sharpens.
 */
export function sharpness(images: tf.Tensor4D, factor: number): tf.Tensor4D {
  checkImages(images);
  checkNumber('factor', factor, 0, 1e6);
  const [, h, w, c] = images.shape;
  if (h < 3 || w < 3) return tf.clone(images);
  return tf.tidy(() => {
    const kernel = tf.tile(tf.reshape(tf.tensor1d([1, 1, 1, 1, 5, 1, 1, 1, 1]), [3, 3, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
    const sums = tf.depthwiseConv2d(images, kernel, 1, 'valid');
    const smooth = tf.floor(tf.add(tf.div(sums, 13), 0.5));
    const padded = tf.pad(smooth, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const rows = tf.logicalAnd(tf.greater(tf.range(0, h), 0), tf.less(tf.range(0, h), h - 1));
    const cols = tf.logicalAnd(tf.greater(tf.range(0, w), 0), tf.less(tf.range(0, w), w - 1));
    const inside = tf.logicalAnd(tf.reshape(rows, [1, h, 1, 1]), tf.reshape(cols, [1, 1, w, 1]));
    const degenerate = tf.where(tf.broadcastTo(inside, images.shape), padded, images);
    return blend(degenerate, images, factor);
  });
}

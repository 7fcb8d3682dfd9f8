// Input normalisation per family, as data (the spec's `preprocessing`) and as functions.
// torchvision (`imagenet`): the caller scales pixels to 0-1 and normalises with the ImageNet mean
// and std before the model. Keras applications (`raw255`): the model takes 0-255 pixels and
// normalises inside. `preprocess` turns 0-255 pixels into what a spec's model takes, whichever the
// kind, so callers need not know the family.
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, PreprocessingSpec } from '@effnet/scaling';
import { EffnetModelError } from './errors.js';

function checkSpec(spec: PreprocessingSpec): void {
  const ok = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!spec || (spec.kind !== 'imagenet' && spec.kind !== 'raw255') || !ok(spec.mean) || !ok(spec.std) || spec.std.some((s) => s <= 0)) {
    throw new EffnetModelError('preprocessing', `expected { kind: 'imagenet' | 'raw255', mean: [3 numbers], std: [3 positive numbers] }, got ${JSON.stringify(spec)}`);
  }
}

function normalize(pixels255: tf.Tensor4D, spec: PreprocessingSpec): tf.Tensor4D {
  const mean = tf.tensor1d(spec.mean.map((m) => m * 255));
  const std = tf.tensor1d(spec.std.map((s) => s * 255));
  return tf.div(tf.sub(pixels255, mean), std);
}

/**
 * Prepares 0-255 RGB pixels (NHWC, float) for a model: `(x / 255 − mean) / std` for `imagenet`
 * models; unchanged for `raw255` models, which normalise inside.
 *
 * @param pixels - NHWC pixels in 0-255.
 * @param specOrPreprocessing - A ModelSpec or its `preprocessing`.
 * @throws EffnetModelError for a malformed preprocessing spec or a non-NHWC input.
 */
export function preprocess(pixels: tf.Tensor4D, specOrPreprocessing: ModelSpec | PreprocessingSpec): tf.Tensor4D {
  const spec = 'preprocessing' in specOrPreprocessing ? specOrPreprocessing.preprocessing : specOrPreprocessing;
  checkSpec(spec);
  if (!(pixels instanceof tf.Tensor) || pixels.rank !== 4 || pixels.shape[3] !== 3) {
    throw new EffnetModelError('pixels', `expected NHWC RGB pixels [batch, height, width, 3], got ${pixels instanceof tf.Tensor ? `shape [${pixels.shape.join(', ')}]` : String(pixels)}`);
  }
  if (spec.kind === 'raw255') return tf.clone(pixels);
  return tf.tidy(() => normalize(tf.cast(pixels, 'float32'), spec));
}

/** What the model itself does to its input: the normalisation of `raw255` models, nothing for `imagenet`. */
export function normalizeInside(images: tf.Tensor4D, spec: PreprocessingSpec): tf.Tensor4D {
  if (spec.kind !== 'raw255') return images;
  checkSpec(spec);
  if (images.shape[3] !== 3) throw new EffnetModelError('images', `a raw255 model normalises RGB inside and needs 3 channels, got ${images.shape[3]}`);
  return normalize(images, spec);
}

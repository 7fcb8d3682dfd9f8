// The standard batch preparation: bytes → float in [0, 1] → resize to the stage's size (bilinear)
// → per-channel normalisation → optional augmentation hook; labels → one-hot with label smoothing.
import * as tf from '@tensorflow/tfjs-core';
import type { PrepareBatch, TrainStage } from './trainer-options.js';

/** Options of {@link standardPrepare}. */
export interface StandardPrepareOptions {
  /** Number of classes. */
  numClasses: number;
  /** Per-channel mean on the 0-1 scale (one value per channel, or one for all). */
  mean?: number[];
  /** Per-channel standard deviation on the 0-1 scale. */
  std?: number[];
  /** Label smoothing ε: targets become (1 − ε)·onehot + ε/classes (default 0). */
  labelSmoothing?: number;
  /** Training-time augmentation of the normalised images and targets (RandAugment, Mixup…). */
  augment?: (images: tf.Tensor4D, targets: tf.Tensor2D, context: { stage: TrainStage; seed: number }) => { images: tf.Tensor4D; targets: tf.Tensor2D };
}

/** Builds the `prepare` hook of a Trainer. */
export function standardPrepare(options: StandardPrepareOptions): PrepareBatch {
  const { numClasses, mean = [0], std = [1], labelSmoothing = 0 } = options;
  return (batch, { stage, seed, training }) => {
    const [h, w, c] = batch.imageShape;
    let images = tf.div(tf.tensor4d(batch.images, [batch.count, h, w, c], 'float32'), 255) as tf.Tensor4D;
    if (h !== stage.imageSize || w !== stage.imageSize) images = tf.image.resizeBilinear(images, [stage.imageSize, stage.imageSize], false, true);
    images = tf.div(tf.sub(images, tf.tensor1d(mean)), tf.tensor1d(std));
    let targets = tf.cast(tf.oneHot(tf.tensor1d(batch.labels, 'int32'), numClasses), 'float32') as tf.Tensor2D;
    if (labelSmoothing > 0) targets = tf.add(tf.mul(targets, 1 - labelSmoothing), labelSmoothing / numClasses);
    if (training && options.augment) return options.augment(images, targets, { stage, seed });
    return { images, targets };
  };
}

// The standard batch preparation: bytes → float in [0, 1] → resize to the stage's size (bilinear)
// → in training, the stage's RandAugment (N ops at the stage's magnitude) → per-channel
// normalisation; labels → one-hot with label smoothing → in training, the stage's Mixup or CutMix
// (one of the two per batch, at random, when the stage has both, as timm does) → an optional
// augmentation hook. Every random choice comes from the step's augmentation seed (EfficientNetV2,
// Algorithm 1: the regularisation of each stage).
import * as tf from '@tensorflow/tfjs-core';
import { cutmix, mixup, randAugment, SeededRandom } from '@effnet/schedules';
import type { AppliedAugmentation, PrepareBatch, PreparedBatch, TrainStage } from './trainer-options.js';
import { EffnetTrainError } from './errors.js';

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
  /** RandAugment operations per image when a stage's magnitude is above 0 (default 2, as the papers). */
  randAugmentOps?: number;
  /** Apply the stage's RandAugment, Mixup and CutMix in training (default true). */
  stageAugmentation?: boolean;
  /** Further training-time augmentation of the normalised images and targets, after the stage's. */
  augment?: (images: tf.Tensor4D, targets: tf.Tensor2D, context: { stage: TrainStage; seed: number }) => { images: tf.Tensor4D; targets: tf.Tensor2D };
}

/** The stage's Mixup or CutMix on normalised images and soft targets. */
function mixBatch(images: tf.Tensor4D, targets: tf.Tensor2D, stage: TrainStage, seed: number): { images: tf.Tensor4D; targets: tf.Tensor2D; mix: AppliedAugmentation['mix']; lambda: number } {
  const { mixupAlpha, cutmixAlpha } = stage;
  if (!(mixupAlpha > 0) && !(cutmixAlpha > 0)) return { images, targets, mix: 'none', lambda: 1 };
  const useCutmix = cutmixAlpha > 0 && (!(mixupAlpha > 0) || new SeededRandom(seed).uniform() < 0.5);
  const mixed = useCutmix ? cutmix(cutmixAlpha, { seed })(images, targets, 1) : mixup(mixupAlpha, { seed })(images, targets, 1);
  return { images: mixed.images, targets: mixed.labels, mix: useCutmix ? 'cutmix' : 'mixup', lambda: mixed.lambda };
}

/** Builds the `prepare` hook of a Trainer. */
export function standardPrepare(options: StandardPrepareOptions): PrepareBatch {
  const { numClasses, mean = [0], std = [1], labelSmoothing = 0, randAugmentOps = 2, stageAugmentation = true } = options;
  if (!Number.isInteger(randAugmentOps) || randAugmentOps < 0 || randAugmentOps > 64) {
    throw new EffnetTrainError('randAugmentOps', `must be an integer in [0, 64], got ${String(randAugmentOps)}`);
  }
  return (batch, { stage, seed, augmentSeed = seed, training }) => {
    const [h, w, c] = batch.imageShape;
    let images = tf.div(tf.tensor4d(batch.images, [batch.count, h, w, c], 'float32'), 255) as tf.Tensor4D;
    if (h !== stage.imageSize || w !== stage.imageSize) images = tf.image.resizeBilinear(images, [stage.imageSize, stage.imageSize], false, true);
    const augmenting = training && stageAugmentation;
    const ops = augmenting && stage.randAugmentMagnitude > 0 ? randAugmentOps : 0;
    if (ops > 0) images = randAugment({ n: ops, magnitude: stage.randAugmentMagnitude, seed: augmentSeed, range: '0-1' })(images, 0);
    images = tf.div(tf.sub(images, tf.tensor1d(mean)), tf.tensor1d(std));
    let targets = tf.cast(tf.oneHot(tf.tensor1d(batch.labels, 'int32'), numClasses), 'float32') as tf.Tensor2D;
    if (labelSmoothing > 0) targets = tf.add(tf.mul(targets, 1 - labelSmoothing), labelSmoothing / numClasses);
    let prepared: PreparedBatch = { images, targets };
    if (augmenting) {
      const mixed = mixBatch(images, targets, stage, augmentSeed);
      prepared = {
        images: mixed.images, targets: mixed.targets,
        applied: { randAugmentOps: ops, randAugmentMagnitude: ops > 0 ? stage.randAugmentMagnitude : 0, mix: mixed.mix, lambda: mixed.lambda },
      };
    }
    if (training && options.augment) return { ...prepared, ...options.augment(prepared.images, prepared.targets, { stage, seed }) };
    return prepared;
  };
}

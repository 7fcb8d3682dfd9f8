// The EfficientDet training loss as google/automl computes it (det_model_fn.py; RetinaNet focal
// loss, Lin et al. 2017): sigmoid focal loss α_t·(1 − p_t)^γ·BCE with α = 0.25, γ = 1.5 over every
// anchor and class that is not ignored, plus Huber loss (δ = 0.1) on the encoded boxes of positive
// anchors weighted by 50; both are normalised by the number of positive anchors in the batch + 1.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetModelError } from '../errors.js';
import { IGNORED } from './anchor-matching.js';

/** Settings of {@link detectionLoss}. */
export interface DetectionLossOptions {
  /** Focal loss α (default 0.25). */
  alpha?: number;
  /** Focal loss γ (default 1.5). */
  gamma?: number;
  /** Huber δ of the box loss (default 0.1). */
  delta?: number;
  /** Weight of the box loss in the total (default 50). */
  boxLossWeight?: number;
}

/** The parts of the detection loss (scalars). */
export interface DetectionLoss {
  /** `classLoss + boxLossWeight · boxLoss`. */
  total: tf.Scalar;
  /** Normalised focal loss. */
  classLoss: tf.Scalar;
  /** Normalised Huber box loss. */
  boxLoss: tf.Scalar;
}

/**
 * Elementwise sigmoid focal loss: α_t·(1 − p_t)^γ·BCE(logits, targets), p = sigmoid(logits).
 *
 * @param logits - Class logits, any shape.
 * @param targets - 0/1 targets of the same shape.
 * @returns The unreduced loss, same shape.
 */
export function focalLoss<T extends tf.Tensor>(logits: T, targets: T, alpha = 0.25, gamma = 1.5): T {
  return tf.tidy(() => {
    const p = tf.sigmoid(logits);
    const oneMinusY = tf.sub(1, targets);
    const pt = tf.add(tf.mul(targets, p), tf.mul(oneMinusY, tf.sub(1, p)));
    const alphaT = tf.add(tf.mul(targets, alpha), tf.mul(oneMinusY, 1 - alpha));
    const modulating = tf.pow(tf.relu(tf.sub(1, pt)), gamma);
    // Stable BCE with logits: max(x, 0) − x·y + log(1 + e^−|x|).
    const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), tf.softplus(tf.neg(tf.abs(logits))));
    return tf.mul(tf.mul(alphaT, modulating), bce) as T;
  });
}

/**
 * Elementwise Huber loss of `x` = prediction − target: ½x² where |x| ≤ δ, else δ(|x| − ½δ).
 */
export function huberLoss<T extends tf.Tensor>(predictions: T, targets: T, delta = 0.1): T {
  return tf.tidy(() => {
    const a = tf.abs(tf.sub(predictions, targets));
    const q = tf.minimum(a, delta);
    return tf.add(tf.mul(tf.square(q), 0.5), tf.mul(tf.sub(a, q), delta)) as T;
  });
}

/**
 * The EfficientDet loss of a batch.
 *
 * @param classLogits - `[batch, anchors, classes]`.
 * @param boxDeltas - `[batch, anchors, 4]` predicted `[ty, tx, th, tw]`.
 * @param classTargets - `[batch, anchors]` int32: class ≥ 0, −1 background, −2 ignored (see matchAnchors).
 * @param boxTargets - `[batch, anchors, 4]` encoded boxes of the positive anchors.
 * @param options - α, γ, δ and the box weight.
 * @throws EffnetModelError when the shapes disagree.
 */
export function detectionLoss(
  classLogits: tf.Tensor3D,
  boxDeltas: tf.Tensor3D,
  classTargets: tf.Tensor2D,
  boxTargets: tf.Tensor3D,
  options: DetectionLossOptions = {},
): DetectionLoss {
  const { alpha = 0.25, gamma = 1.5, delta = 0.1, boxLossWeight = 50 } = options;
  const [batch, anchors, numClasses] = classLogits.shape;
  const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
  if (!same(boxDeltas.shape, [batch, anchors, 4]) || !same(classTargets.shape, [batch, anchors]) || !same(boxTargets.shape, [batch, anchors, 4])) {
    throw new EffnetModelError(
      'detectionLoss',
      `shapes disagree: classLogits [${classLogits.shape.join(', ')}], boxDeltas [${boxDeltas.shape.join(', ')}], classTargets [${classTargets.shape.join(', ')}], boxTargets [${boxTargets.shape.join(', ')}]; expected [B, N, C], [B, N, 4], [B, N], [B, N, 4]`,
    );
  }
  return tf.tidy(() => {
    const targets = tf.cast(classTargets, 'int32');
    const oneHot = tf.cast(tf.equal(tf.expandDims(targets, 2), tf.reshape(tf.range(0, numClasses, 1, 'int32'), [1, 1, numClasses])), 'float32') as tf.Tensor3D;
    const kept = tf.expandDims(tf.cast(tf.notEqual(targets, IGNORED), 'float32'), 2);
    const positive = tf.cast(tf.greaterEqual(targets, 0), 'float32');
    const normaliser = tf.add(tf.sum(positive), 1);
    const classLoss = tf.div(tf.sum(tf.mul(focalLoss(classLogits, oneHot, alpha, gamma), kept)), normaliser) as tf.Scalar;
    const boxSum = tf.sum(tf.mul(huberLoss(boxDeltas, boxTargets, delta), tf.expandDims(positive, 2)));
    const boxLoss = tf.div(boxSum, tf.mul(normaliser, 4)) as tf.Scalar;
    const total = tf.add(classLoss, tf.mul(boxLoss, boxLossWeight)) as tf.Scalar;
    return { total, classLoss, boxLoss };
  });
}

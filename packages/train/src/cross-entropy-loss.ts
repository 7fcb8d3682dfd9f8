// The default training loss of a classifier (soft targets: one-hot, smoothed, or mixed by Mixup/CutMix), and the L2 weight decay the trainer adds to any loss.
import * as tf from '@tensorflow/tfjs-core';
import type { LossContext, PreparedBatch } from './trainer-options.js';
import type { TrainableModel } from './trainable-model.js';

/**
 * The default loss: softmax cross-entropy of the classifier's training-mode logits against the
 * prepared targets (one-hot, label-smoothed or mixed by `prepare`), with the stage's dropout and
 * drop path.
 */
export function crossEntropyLoss(model: TrainableModel, batch: PreparedBatch, context: LossContext): tf.Scalar {
  const { stage, seed, frozenBatchNorm } = context;
  const logits = model.forward(batch.images, { training: true, dropout: stage.dropout, dropPath: stage.dropPath, seed, ...(frozenBatchNorm ? { frozenBatchNorm } : {}) });
  return tf.losses.softmaxCrossEntropy(batch.targets, logits) as tf.Scalar;
}

/** `loss + weightDecay/2 · Σ‖w‖²` over the conv and linear kernels (variables of rank > 1). */
export function withWeightDecay(loss: tf.Scalar, variables: tf.Variable[], weightDecay: number): tf.Scalar {
  if (weightDecay <= 0) return loss;
  const kernels = variables.filter((v) => v.shape.length > 1);
  return tf.add(loss, tf.mul(weightDecay / 2, tf.addN(kernels.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
}

/**
 * The value and the gradients (keyed by variable name) of the default loss plus weight decay on one
 * batch: what a data-parallel replica computes on its shard, on either side of the pool.
 */
export function crossEntropyGrads(model: TrainableModel, batch: PreparedBatch, context: LossContext, variables: tf.Variable[], weightDecay: number): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.variableGrads(() => withWeightDecay(crossEntropyLoss(model, batch, context), variables, weightDecay), variables);
}

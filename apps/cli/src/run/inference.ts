// Inference for `effnet predict` and `effnet eval`: the same preparation as training's
// standardPrepare (bytes → 0-1 → resize → mean/std), evaluation-mode logits and softmax top-k; the
// evaluation loop is @effnet/train's evaluateClassifier, the one the Trainer runs.
import * as tf from '@tensorflow/tfjs-core';
import { OnnxModel } from '@effnet/backend-onnx';
import type { EfficientNet } from '@effnet/models';
import { evaluateClassifier, standardPrepare, type Batch, type Dataset, type Evaluation, type EvaluationReplicas, type TrainStage } from '@effnet/train';
import type { ModelMeta } from './model-meta.js';

/** One prediction: class index, name and probability, best first. */
export interface Prediction {
  /** Class index. */
  index: number;
  /** Class name. */
  name: string;
  /** Softmax probability. */
  probability: number;
}

/** The stage `prepare` evaluates at: the model's input size, no regularisation. */
export function evaluationStage(imageSize: number): TrainStage {
  return { index: 0, startStep: 0, steps: 1, imageSize, dropout: 0, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 };
}

/** Softmax probabilities `[batch, classes]` for a batch of images (bytes, NHWC), from a tfjs model or its onnxruntime form. */
export async function probabilities(model: EfficientNet | OnnxModel, meta: ModelMeta, batch: Batch): Promise<Float32Array> {
  const prepare = standardPrepare({ numClasses: meta.classNames.length, mean: meta.mean, std: meta.std });
  const stage = evaluationStage(meta.imageSize);
  const images = tf.tidy(() => prepare(batch, { stage, step: 0, seed: 0, augmentSeed: 0, training: false }).images);
  let logits: tf.Tensor2D | null = null;
  try {
    logits = model instanceof OnnxModel ? await model.predict(images) : model.forward(images, { training: false });
    const probs = tf.softmax(logits);
    const values = (await probs.data()) as Float32Array;
    probs.dispose();
    return values;
  } finally {
    tf.dispose([images, ...(logits ? [logits] : [])]);
  }
}

/** The `k` most probable classes of each row of `probs`. */
export function topPredictions(probs: Float32Array, classNames: readonly string[], k: number): Prediction[][] {
  const classes = classNames.length;
  const rows = probs.length / classes;
  return Array.from({ length: rows }, (_, r) => {
    const row = Array.from(probs.subarray(r * classes, (r + 1) * classes), (probability, index) => ({ index, name: classNames[index] ?? String(index), probability }));
    // Stable: ties keep the lower class index first, as argmax does.
    return row.sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, Math.min(k, classes));
  });
}

/**
 * Loss, top-1, top-5 and the confusion matrix of a model over a data set: the Trainer's evaluation,
 * with the model's own preparation; `replicas` (an inference pool) share the forward passes.
 */
export function evaluateModel(model: EfficientNet, meta: ModelMeta, data: Dataset, options: { batchSize?: number; onProgress?: (seen: number) => void } = {}, replicas?: EvaluationReplicas): Promise<Evaluation> {
  const prepare = standardPrepare({ numClasses: meta.classNames.length, mean: meta.mean, std: meta.std });
  return evaluateClassifier(model, data, { prepare, numClasses: meta.classNames.length, stage: evaluationStage(meta.imageSize), batchSize: options.batchSize ?? 128, onProgress: options.onProgress }, replicas);
}

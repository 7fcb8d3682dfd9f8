// The evaluation of a classifier over a data set: the same `prepare` as training (evaluation mode,
// no augmentation), evaluation-mode logits, the mean cross-entropy against the prepared targets,
// top-1, top-5 and the confusion matrix. The Trainer evaluates through it (with EMA weights swapped
// in) and so does `effnet eval`, so both report the same numbers for the same weights.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, BatchSource } from './datasets/dataset.js';
import { EffnetTrainError } from './errors.js';
import { confusionMatrix, topKHits } from './metrics.js';
import type { TrainableModel } from './trainable-model.js';
import type { PrepareBatch, TrainStage } from './trainer-options.js';

/** Result of an evaluation pass. */
export interface Evaluation {
  /** Mean cross-entropy. */
  loss: number;
  /** Top-1 accuracy in [0, 1]. */
  top1: number;
  /** Top-5 accuracy in [0, 1] (equals 1 with 5 classes or fewer). */
  top5: number;
  /** Examples seen. */
  count: number;
  /** `confusion[truth][predicted]`. */
  confusion: number[][];
}

/** Options of {@link evaluateClassifier}. */
export interface EvaluateClassifierOptions {
  /** Turns a batch into model input and targets (called with `training: false`). */
  prepare: PrepareBatch;
  /** Number of classes (the width of the logits). */
  numClasses: number;
  /** The stage whose image size `prepare` resizes to. */
  stage: TrainStage;
  /** Examples per forward pass (default 256). */
  batchSize?: number;
  /** Told how many examples have been evaluated after each batch. */
  onProgress?: (seen: number) => void;
}

/** Evaluation-mode logits `[count, classes]` and per-example cross-entropy of one batch. */
export interface ClassifierOutputs {
  /** Logits, row-major `[count, classes]`. */
  logits: Float32Array;
  /** Cross-entropy of each example against its prepared target. */
  losses: Float32Array;
}

/**
 * Replicas that run the forward pass of several batches at once (worker threads, web workers):
 * {@link evaluateClassifier} hands them `size` batches at a time and aggregates the answers in order.
 */
export interface EvaluationReplicas {
  /** Batches handed over at once (one per replica). */
  readonly size: number;
  /** The outputs of each batch, in the order given. */
  outputs(batches: Batch[]): Promise<ClassifierOutputs[]>;
}

/** The logits and per-example losses of one batch on this thread, as {@link evaluateClassifier} computes them. */
export async function classifierOutputs(model: TrainableModel, batch: Batch, prepare: PrepareBatch, stage: TrainStage): Promise<ClassifierOutputs> {
  const [logits, losses] = tf.tidy(() => {
    const { images, targets } = prepare(batch, { stage, step: 0, seed: 0, training: false });
    const out = model.forward(images, { training: false });
    return [out, tf.losses.softmaxCrossEntropy(targets, out, undefined, undefined, tf.Reduction.NONE)] as const;
  });
  try {
    return { logits: (await logits.data()) as Float32Array, losses: (await losses.data()) as Float32Array };
  } finally {
    tf.dispose([logits, losses]);
  }
}

/**
 * Loss, top-1, top-5 and the confusion matrix of a classifier over `data`, in evaluation mode.
 * With `replicas`, the forward passes run on them, `replicas.size` batches at a time; the batches
 * and the order the results are summed in are those of one thread, so the figures are the same.
 *
 * @throws EffnetTrainError when `data` yields no examples.
 */
export async function evaluateClassifier(model: TrainableModel, data: BatchSource<Batch>, options: EvaluateClassifierOptions, replicas?: EvaluationReplicas): Promise<Evaluation> {
  const { prepare, numClasses, stage } = options;
  let lossSum = 0;
  let top1 = 0;
  let top5 = 0;
  let count = 0;
  const predicted: number[] = [];
  const labels: number[] = [];
  const add = (batch: Batch, { logits: values, losses: perExample }: ClassifierOutputs) => {
    for (const v of perExample) lossSum += v;
    top1 += topKHits(values, batch.labels, numClasses, 1);
    top5 += topKHits(values, batch.labels, numClasses, Math.min(5, numClasses));
    for (let row = 0; row < batch.count; row++) {
      let best = 0;
      for (let c = 1; c < numClasses; c++) if (values[row * numClasses + c]! > values[row * numClasses + best]!) best = c;
      predicted.push(best);
      labels.push(batch.labels[row]!);
    }
    count += batch.count;
    options.onProgress?.(count);
  };
  let group: Batch[] = [];
  const flush = async () => {
    const outputs = replicas ? await replicas.outputs(group) : [await classifierOutputs(model, group[0]!, prepare, stage)];
    group.forEach((batch, i) => add(batch, outputs[i]!));
    group = [];
  };
  for await (const batch of data.batches({ batchSize: options.batchSize ?? 256 })) {
    group.push(batch);
    if (group.length >= (replicas?.size ?? 1)) await flush();
  }
  if (group.length > 0) await flush();
  if (count === 0) throw new EffnetTrainError('evaluate', `${data.name} yielded no examples`);
  return { loss: lossSum / count, top1: top1 / count, top5: top5 / count, count, confusion: confusionMatrix(predicted, labels, numClasses) };
}

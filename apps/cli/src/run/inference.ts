// Inference for `effnet predict` and `effnet eval`: the same preparation as training's
// standardPrepare (bytes → 0-1 → resize → mean/std), evaluation-mode logits, softmax top-k, and an
// evaluation loop with loss, top-1, top-5 and the confusion matrix.
import * as tf from '@tensorflow/tfjs-core';
import type { EfficientNet } from '@effnet/models';
import { confusionMatrix, standardPrepare, topKHits, type Batch, type Dataset } from '@effnet/train';
import type { ModelMeta } from './model-folder.js';

/** One prediction: class index, name and probability, best first. */
export interface Prediction {
  /** Class index. */
  index: number;
  /** Class name. */
  name: string;
  /** Softmax probability. */
  probability: number;
}

/** Softmax probabilities `[batch, classes]` for a batch of images (bytes, NHWC). */
export async function probabilities(model: EfficientNet, meta: ModelMeta, batch: Batch): Promise<Float32Array> {
  const prepare = standardPrepare({ numClasses: meta.classNames.length, mean: meta.mean, std: meta.std });
  const stage = { startStep: 0, steps: 1, imageSize: meta.imageSize };
  const probs = tf.tidy(() => tf.softmax(model.forward(prepare(batch, { stage, step: 0, seed: 0, training: false }).images, { training: false })));
  const values = (await probs.data()) as Float32Array;
  probs.dispose();
  return values;
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

/** Loss, top-1, top-5 and the confusion matrix of a model over a dataset. */
export async function evaluateModel(model: EfficientNet, meta: ModelMeta, data: Dataset, options: { batchSize?: number; onProgress?: (seen: number) => void } = {}) {
  const classes = meta.classNames.length;
  let lossSum = 0;
  let top1 = 0;
  let top5 = 0;
  let count = 0;
  const predicted: number[] = [];
  const labels: number[] = [];
  for await (const batch of data.batches({ batchSize: options.batchSize ?? 128 })) {
    const probs = await probabilities(model, meta, batch);
    for (let r = 0; r < batch.count; r++) {
      lossSum -= Math.log(Math.max(probs[r * classes + batch.labels[r]!]!, 1e-12));
      let best = 0;
      for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + best]!) best = c;
      predicted.push(best);
      labels.push(batch.labels[r]!);
    }
    top1 += topKHits(probs, batch.labels, classes, 1);
    top5 += topKHits(probs, batch.labels, classes, Math.min(5, classes));
    count += batch.count;
    options.onProgress?.(count);
  }
  return { loss: lossSum / Math.max(count, 1), top1: top1 / Math.max(count, 1), top5: top5 / Math.max(count, 1), count, confusion: confusionMatrix(predicted, labels, classes) };
}

// The test images report.html shows: a seeded spread of the held-out split, each with the model's
// top class and its probability.
import * as tf from '@tensorflow/tfjs-core';
import { encodePng } from '@effnet/data';
import type { EfficientNet } from '@effnet/models';
import type { InMemoryDataset, PrepareBatch, TrainStage } from '@effnet/train';
import type { ReportSample } from '../report/render-report.js';

/** Logits → (top class, its probability) per row. */
function topClasses(logits: Float32Array | Int32Array | Uint8Array, classes: number): { index: number; probability: number }[] {
  const rows = logits.length / classes;
  return Array.from({ length: rows }, (_, r) => {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    const max = Math.max(...row);
    const exp = row.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    const index = row.indexOf(max);
    return { index, probability: exp[index]! / sum };
  });
}

/** Report samples: the first `count` test images in a seeded order, with the model's predictions. */
export async function reportSamples(model: EfficientNet, test: InMemoryDataset, count: number, prepare: PrepareBatch, stage: TrainStage): Promise<ReportSample[]> {
  if (count <= 0) return [];
  const step = Math.max(1, Math.floor(test.size / count));
  const indices = Array.from({ length: Math.min(count, test.size) }, (_, i) => (i * step + 7) % test.size);
  const subset = test.subset(indices);
  const samples: ReportSample[] = [];
  for await (const batch of subset.batches({ batchSize: indices.length })) {
    const logits = tf.tidy(() => model.forward(prepare(batch, { stage, step: 0, seed: 0, augmentSeed: 0, training: false }).images, { training: false }));
    const values = await logits.data();
    logits.dispose();
    const top = topClasses(values, test.classNames.length);
    const [h, w, c] = batch.imageShape;
    for (let i = 0; i < batch.count; i++) {
      const pixels = batch.images.subarray(i * h * w * c, (i + 1) * h * w * c);
      samples.push({
        png: await encodePng(pixels, w, h, c),
        truth: test.classNames[batch.labels[i]!]!,
        predicted: test.classNames[top[i]!.index]!,
        confidence: top[i]!.probability,
      });
    }
  }
  return samples;
}

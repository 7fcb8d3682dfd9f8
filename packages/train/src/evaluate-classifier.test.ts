// evaluateClassifier with replicas: they get the batches of one thread, `size` at a time (the last
// group short), and the figures equal those of one thread exactly.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { fashionMnistSample } from '../test/fashion-mnist-sample.js';
import { tinyConvNet } from '../test/tiny-conv-net.js';
import type { Batch } from './datasets/dataset.js';
import { classifierOutputs, evaluateClassifier, type EvaluationReplicas } from './evaluate-classifier.js';
import { standardPrepare } from './prepare.js';
import type { TrainStage } from './trainer-options.js';

await tf.setBackend('cpu');
const model = tinyConvNet(1);
afterAll(() => model.dispose());
const data = fashionMnistSample('sample', 3); // 30 images
const stage: TrainStage = { index: 0, startStep: 0, steps: 1, imageSize: 28, dropout: 0, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 };
const options = { prepare: standardPrepare({ numClasses: 10, mean: [0.5], std: [0.25] }), numClasses: 10, stage, batchSize: 7 };

describe('evaluateClassifier with replicas', () => {
  it('hands them the batches of one thread, three at a time, and reports the same figures', async () => {
    const groups: number[][] = [];
    const replicas: EvaluationReplicas = {
      size: 3,
      outputs: async (batches: Batch[]) => {
        groups.push(batches.map((batch) => batch.count));
        // Answered in reverse order of computation: the order of the answers is what counts.
        const outputs = await Promise.all([...batches].reverse().map((batch) => classifierOutputs(model, batch, options.prepare, stage)));
        return outputs.reverse();
      },
    };
    const single = await evaluateClassifier(model, data, options);
    const pooled = await evaluateClassifier(model, data, options, replicas);
    expect(groups).toEqual([[7, 7, 7], [7, 2]]);
    expect(pooled).toEqual(single);
    expect(single.count).toBe(30);
    // The net tells images apart: more than one class is predicted.
    expect(single.confusion[0]!.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});

import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistSample } from '../test/fashion-mnist-sample.js';
import { tinyClassifier } from '../test/tiny-classifier.js';
import { memoryCheckpointStore } from './checkpoint-store.js';
import { standardPrepare } from './prepare.js';
import { Trainer } from './trainer.js';
import type { AppliedAugmentation, StageAugmentation, TrainStage, TrainerOptions } from './trainer-options.js';
import type { TrainableModel } from './trainable-model.js';

const train = fashionMnistSample('fashion-mnist/train', 4);
/** Algorithm 1 in small: RandAugment 5 → 15, Mixup 0 → 0.2, CutMix 0 → 1. */
const plan: TrainStage[] = [
  { index: 0, startStep: 0, steps: 3, imageSize: 14, dropout: 0, dropPath: 0, randAugmentMagnitude: 5, mixupAlpha: 0, cutmixAlpha: 0 },
  { index: 1, startStep: 3, steps: 4, imageSize: 20, dropout: 0.1, dropPath: 0.1, randAugmentMagnitude: 10, mixupAlpha: 0.1, cutmixAlpha: 0 },
  { index: 2, startStep: 7, steps: 4, imageSize: 28, dropout: 0.2, dropPath: 0.2, randAugmentMagnitude: 15, mixupAlpha: 0.2, cutmixAlpha: 1 },
];

function options(model: TrainableModel, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    model, train, numClasses: 10, batchSize: 8, plan, seed: 11, lr: () => 0.05, optimizer: { kind: 'sgd', momentum: 0.9 },
    prepare: standardPrepare({ numClasses: 10, labelSmoothing: 0.1 }), ...extra,
  };
}

function values(model: TrainableModel): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.namedVariables()).map(([name, v]) => [name, Array.from(v.dataSync())]));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the stage regularisation of Algorithm 1', () => {
  it('applies each stage\'s RandAugment, Mixup and CutMix and says so per stage', async () => {
    const model = tinyClassifier(1);
    const ends: [number, StageAugmentation][] = [];
    const mixes: string[] = [];
    const trainer = new Trainer(options(model, { callbacks: { onStageEnd: (_s, i, a) => void ends.push([i, a]), onStep: (info) => void mixes.push(info.applied!.mix) } }));
    await trainer.fit();
    expect(ends.map(([i, a]) => [i, a.batches, a.randAugment, a.mixup + a.cutmix])).toEqual([[0, 3, 3, 0], [1, 4, 4, 4], [2, 4, 4, 4]]);
    expect(ends[1]![1].mixup).toBe(4);
    expect(mixes.slice(7).every((m) => m === 'mixup' || m === 'cutmix')).toBe(true);
    expect(ends[2]![1].meanLambda).toBeGreaterThan(0);
    expect(ends[2]![1].meanLambda).toBeLessThan(1);
    trainer.dispose();
    model.dispose();
  });

  it('a mixed batch has soft targets and RandAugment changes the images, from the augmentation seed alone', () => {
    const prepare = standardPrepare({ numClasses: 10 });
    const batch = { images: train.example(0).image, labels: new Int32Array([0]), count: 1, imageShape: [28, 28, 1] as [number, number, number] };
    const two = { ...batch, images: new Uint8Array([...train.example(0).image, ...train.example(20).image]), labels: new Int32Array([0, 5]), count: 2 };
    const context = { stage: plan[2]!, step: 0, seed: 1, augmentSeed: 123, training: true };
    const read = (ctx: typeof context) => {
      let applied: AppliedAugmentation | undefined;
      const [images, targets] = tf.tidy(() => {
        const p = prepare(two, ctx);
        applied = p.applied;
        return [p.images, p.targets];
      });
      const out = { images: images!.arraySync(), targets: targets!.arraySync(), applied };
      tf.dispose([images!, targets!]);
      return out;
    };
    const [a, b, plain] = [read(context), read(context), read({ ...context, training: false })];
    expect(a).toEqual(b);
    expect(a.images).not.toEqual(plain.images);
    expect(plain.targets).toEqual([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]]);
    const lambda = a.applied!.lambda;
    expect(a.targets[0]![0]).toBeCloseTo(lambda, 6);
    expect(a.targets[0]![5]).toBeCloseTo(1 - lambda, 6);
    expect(plain.applied).toBeUndefined();
    expect(batch.count).toBe(1);
  });

  it('resumes bit for bit with augmentation on: the stream position is in the checkpoint', async () => {
    const straightModel = tinyClassifier(4);
    const straight = new Trainer(options(straightModel));
    await straight.fit();
    const expected = values(straightModel);
    straight.dispose();
    straightModel.dispose();
    const store = memoryCheckpointStore();
    const firstModel = tinyClassifier(4);
    const first: Trainer = new Trainer(options(firstModel, { checkpoints: { store }, callbacks: { onStep: (i) => (i.step === 5 ? first.stop() : undefined) } }));
    await first.fit();
    first.dispose();
    firstModel.dispose();
    const saved = (await store.latest())!.content;
    expect(typeof saved.state['augmentationState']).toBe('number');
    const resumedModel = tinyClassifier(8);
    const resumed = new Trainer(options(resumedModel, { checkpoints: { store } }));
    expect(await resumed.resume()).toBe(5);
    await resumed.fit();
    expect(values(resumedModel)).toEqual(expected);
    resumed.dispose();
    resumedModel.dispose();
  });
});

import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistSample } from '../test/fashion-mnist-sample.js';
import { stages } from '../test/stages.js';
import { tinyConvNet } from '../test/tiny-conv-net.js';
import { memoryCheckpointStore } from './checkpoint-store.js';
import { fileCheckpointStore } from './node/file-checkpoint-store.js';
import { EffnetTrainError } from './errors.js';
import { standardPrepare } from './prepare.js';
import type { TrainableModel } from './trainable-model.js';
import { crossEntropyLoss } from './cross-entropy-loss.js';
import { Trainer } from './trainer.js';
import type { TrainStage, TrainerOptions } from './trainer-options.js';

const tinyModel = tinyConvNet;

const train = fashionMnistSample('fashion-mnist/train', 24);
const test = fashionMnistSample('fashion-mnist/test', 10, 6000);
const plan: TrainStage[] = stages([6, 12, 0], [6, 16, 0.1], [6, 20, 0.2]);

function options(model: TrainableModel, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    model, train, numClasses: 10, batchSize: 16, plan, seed: 7,
    lr: (step) => 0.1 * Math.min(1, (step + 1) / 4),
    optimizer: { kind: 'sgd', momentum: 0.9 },
    ema: { decay: 0.9 },
    prepare: standardPrepare({ numClasses: 10, mean: [0.286], std: [0.353], labelSmoothing: 0.1 }),
    ...extra,
  };
}

async function snapshot(model: TrainableModel): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(model.namedVariables())) out[name] = Array.from(await v.data());
  return out;
}

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'effnet-trainer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Trainer', () => {
  it('follows the progressive plan and lowers the loss', async () => {
    const model = tinyModel(1);
    const losses: number[] = [];
    const sizes = new Set<string>();
    const stages: number[] = [];
    const trainer = new Trainer(
      options(model, {
        callbacks: {
          onStageStart: (_stage, index) => stages.push(index),
          onStep: (info) => {
            losses.push(info.loss);
            sizes.add(`${info.stage}:${info.imageSize}`);
          },
        },
      }),
    );
    const result = await trainer.fit();
    expect(result).toEqual({ steps: 18, stopped: false });
    expect(stages).toEqual([0, 1, 2]);
    expect([...sizes]).toEqual(['0:12', '1:16', '2:20']);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
    const evaluation = await trainer.evaluate(test, { batchSize: 32 });
    expect(evaluation.count).toBe(100);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(evaluation.top1).toBe(evaluation.confusion.reduce((hits, row, i) => hits + row[i]!, 0) / 100);
    expect(evaluation.top5).toBeGreaterThanOrEqual(evaluation.top1);
    trainer.dispose();
    model.dispose();
  });

  it('resumes bit for bit: 20 steps straight equal 10 + crash + resume 10 (mid-stage, mid-epoch)', async () => {
    // 20 steps over three stages; the crash at step 10 falls inside stage 2 and inside epoch 2 (15 steps per epoch).
    const plan20: TrainStage[] = stages([7, 12, 0], [7, 16, 0.1], [6, 20, 0.2]);
    const straightModel = tinyModel(3);
    const straight = new Trainer(options(straightModel, { plan: plan20 }));
    expect(await straight.fit()).toEqual({ steps: 20, stopped: false });
    const expected = await snapshot(straightModel);
    straight.dispose();
    straightModel.dispose();

    const ckpt = join(dir, 'resume');
    const firstModel = tinyModel(3);
    // The first run stops after 10 steps: the checkpoint written then is all that survives the "crash".
    const stopAt10 = { onStep: (info: { step: number }) => (info.step === 10 ? first.stop() : undefined) };
    const first: Trainer = new Trainer(options(firstModel, { plan: plan20, checkpoints: { store: fileCheckpointStore(ckpt), every: 100 }, callbacks: stopAt10 }));
    expect(await first.fit()).toEqual({ steps: 10, stopped: true });
    first.dispose();
    firstModel.dispose();

    const resumedModel = tinyModel(99); // different initial weights: everything must come from the checkpoint
    const resumed = new Trainer(options(resumedModel, { plan: plan20, checkpoints: { store: fileCheckpointStore(ckpt), every: 100 } }));
    expect(await resumed.resume()).toBe(10);
    expect(await resumed.fit()).toEqual({ steps: 20, stopped: false });
    expect(await snapshot(resumedModel)).toEqual(expected);
    resumed.dispose();
    resumedModel.dispose();
  });

  it('resumes the same way from an in-memory store (no file system), EMA included', async () => {
    const plan8 = stages([4, 12], [4, 16, 0.1]);
    const straightModel = tinyModel(6);
    const straight = new Trainer(options(straightModel, { plan: plan8 }));
    await straight.fit();
    const expected = await snapshot(straightModel);
    const expectedEma = await straight.withAveragedWeights(() => snapshot(straightModel));
    straight.dispose();
    straightModel.dispose();

    const store = memoryCheckpointStore();
    const firstModel = tinyModel(6);
    const first: Trainer = new Trainer(options(firstModel, { plan: plan8, checkpoints: { store, keep: 1 }, callbacks: { onStep: (info) => (info.step === 3 ? first.stop() : undefined) } }));
    expect(await first.fit()).toEqual({ steps: 3, stopped: true });
    expect(store.saved.map((c) => c.step)).toEqual([3]);
    first.dispose();
    firstModel.dispose();

    const resumedModel = tinyModel(8);
    const resumed = new Trainer(options(resumedModel, { plan: plan8, checkpoints: { store } }));
    expect(await resumed.resume()).toBe(3);
    await resumed.fit();
    expect(await snapshot(resumedModel)).toEqual(expected);
    expect(await resumed.withAveragedWeights(() => snapshot(resumedModel))).toEqual(expectedEma);
    resumed.dispose();
    resumedModel.dispose();
  });

  it('runs a function with the EMA weights in the model and puts the live weights back', async () => {
    const model = tinyModel(4);
    const trainer = new Trainer(options(model, { plan: stages([3, 12]) }));
    await trainer.fit();
    const live = await snapshot(model);
    const averaged = await trainer.withAveragedWeights(() => snapshot(model));
    expect(averaged['fc.kernel']).not.toEqual(live['fc.kernel']);
    expect(await snapshot(model)).toEqual(live);
    await expect(trainer.withAveragedWeights(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await snapshot(model)).toEqual(live);
    trainer.dispose();
    model.dispose();
  });

  it('rejects plans with gaps and impossible batch sizes', () => {
    const model = tinyModel(5);
    try {
      expect(() => new Trainer(options(model, { plan: [stages([4, 28])[0]!, { ...stages([4, 28])[0]!, index: 1, startStep: 5 }] }))).toThrow(/stage 1 starts at step 5/);
      expect(() => new Trainer(options(model, { batchSize: 10_000 }))).toThrow(EffnetTrainError);
      expect(() => new Trainer(options(model, { optimizer: { kind: 'lion' } as never }))).toThrow(/unknown optimizer 'lion'/);
    } finally {
      model.dispose();
    }
  });
});

describe('the loss hook (any task)', () => {
  it('the default loss is crossEntropyLoss: passing it explicitly gives bit-identical weights', async () => {
    const a = tinyModel(3);
    const b = tinyModel(3);
    const plain = new Trainer(options(a, { plan: stages([3, 12, 0.1]) }));
    const explicit = new Trainer(options(b, { plan: stages([3, 12, 0.1]), loss: crossEntropyLoss }));
    try {
      await plain.fit();
      await explicit.fit();
      expect(await snapshot(b)).toEqual(await snapshot(a));
    } finally {
      plain.dispose();
      explicit.dispose();
      a.dispose();
      b.dispose();
    }
  });

  it('trains a model without forward() on its own batches: w ← w − lr·2(w − 3) exactly, one class allowed', async () => {
    const w = tf.tidy(() => tf.variable(tf.zeros([1]), true, `w.${Math.random()}`));
    const model = { trainableVariables: () => [w], namedVariables: () => ({ w }) };
    const source = {
      name: 'threes', size: 4,
      async *batches({ batchSize }: { batchSize: number }) {
        for (let i = 0; i + batchSize <= 4; i += batchSize) yield { count: batchSize, values: new Float32Array(batchSize).fill(3) };
      },
    };
    const seen: number[] = [];
    const trainer = new Trainer({
      model, train: source, numClasses: 1, batchSize: 2, plan: stages([3, 1]), lr: () => 0.25,
      optimizer: { kind: 'sgd', momentum: 0 },
      prepare: (batch) => tf.tensor1d(batch.values),
      loss: (m, x, context) => {
        seen.push(context.step);
        return tf.mean(tf.square(tf.sub(m.trainableVariables()[0]!, x))) as tf.Scalar;
      },
    });
    try {
      await trainer.fit();
      // 0 → 1.5 → 2.25 → 2.625 (gradient 2(w − 3), learning rate 0.25).
      expect(Array.from(await w.data())).toEqual([2.625]);
      expect(seen).toEqual([0, 1, 2]);
      await expect(trainer.evaluate(test)).rejects.toThrow(/classifiers only/);
    } finally {
      trainer.dispose();
      w.dispose();
    }
  });

  it('refuses a model without forward() when no loss is given, and one class for a classifier', () => {
    const w = tf.tidy(() => tf.variable(tf.zeros([1]), true, `w.${Math.random()}`));
    const model = { trainableVariables: () => [w], namedVariables: () => ({ w }) } as unknown as TrainableModel;
    try {
      expect(() => new Trainer(options(model))).toThrow(/no forward\(\) returning logits.*pass a `loss` hook/);
      const classifier = tinyModel(1);
      expect(() => new Trainer(options(classifier, { numClasses: 1 }))).toThrow(EffnetTrainError);
      classifier.dispose();
    } finally {
      w.dispose();
    }
  });
});

// A Trainer under hostile conditions: AdamW resumed bit for bit in a later stage, a diverging loss
// stopped before any checkpoint, and checkpoints that are corrupt, short of a slot or written by
// another optimiser refused without leaking tensors.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistSample } from '../test/fashion-mnist-sample.js';
import { stages } from '../test/stages.js';
import { memoryCheckpointStore, type CheckpointContent } from './checkpoint-store.js';
import { EffnetTrainError } from './errors.js';
import { standardPrepare } from './prepare.js';
import type { TrainableModel } from './trainable-model.js';
import { Trainer } from './trainer.js';
import type { TrainStage, TrainerOptions } from './trainer-options.js';

/** conv3x3(4) → ReLU → mean → dense: enough weights for an optimiser to differ on. */
function tinyModel(seed: number): TrainableModel & { dispose(): void } {
  const vars: Record<string, tf.Variable> = tf.tidy(() => ({
    'conv.kernel': tf.variable(tf.randomNormal([3, 3, 1, 4], 0, 0.4, 'float32', seed), true, `rconv.${seed}.${Math.random()}`),
    'fc.kernel': tf.variable(tf.randomNormal([4, 10], 0, 0.3, 'float32', seed + 1), true, `rfc.${seed}.${Math.random()}`),
    'fc.bias': tf.variable(tf.zeros([10]), true, `rfcb.${seed}.${Math.random()}`),
  }));
  return {
    forward: (x) => tf.tidy(() => tf.add(tf.matMul(tf.mean(tf.relu(tf.conv2d(x, vars['conv.kernel'] as tf.Tensor4D, 1, 'same')), [1, 2]) as tf.Tensor2D, vars['fc.kernel'] as tf.Tensor2D), vars['fc.bias']!) as tf.Tensor2D),
    trainableVariables: () => Object.values(vars),
    namedVariables: () => vars,
    dispose: () => tf.dispose(Object.values(vars)),
  };
}

const train = fashionMnistSample('fashion-mnist/train', 24);
const plan: TrainStage[] = stages([8, 12, 0], [8, 16, 0], [8, 20, 0]);

function options(model: TrainableModel, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    model, train, numClasses: 10, batchSize: 16, plan, seed: 5,
    lr: () => 0.01, optimizer: { kind: 'adamw', weightDecay: 0.05 }, ema: { decay: 0.9 },
    prepare: standardPrepare({ numClasses: 10, mean: [0.286], std: [0.353] }),
    ...extra,
  };
}

async function snapshot(model: TrainableModel): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(model.namedVariables())) out[name] = Array.from(await v.data());
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Trainer resume with AdamW', () => {
  it('is bit-identical to the uninterrupted run when resumed in a later stage (step 19 of 24, stage 3)', async () => {
    const straightModel = tinyModel(3);
    const straight = new Trainer(options(straightModel));
    await straight.fit();
    const expected = await snapshot(straightModel);
    straight.dispose();
    straightModel.dispose();

    const store = memoryCheckpointStore();
    const firstModel = tinyModel(3);
    const first: Trainer = new Trainer(options(firstModel, { checkpoints: { store, every: 1000 }, callbacks: { onStep: (info) => (info.step === 19 ? first.stop() : undefined) } }));
    expect(await first.fit()).toEqual({ steps: 19, stopped: true });
    first.dispose();
    firstModel.dispose();
    expect(Object.keys(store.saved.at(-1)!.tensors).filter((n) => n.startsWith('optimizer-state/'))).toEqual(['optimizer-state/accBeta1', 'optimizer-state/accBeta2']);

    const before = tf.memory().numTensors;
    const resumedModel = tinyModel(42);
    const resumed = new Trainer(options(resumedModel, { checkpoints: { store } }));
    expect(await resumed.resume()).toBe(19);
    await resumed.fit();
    const got = await snapshot(resumedModel);
    const differing = Object.keys(expected).flatMap((name) => expected[name]!.filter((v, i) => v !== got[name]![i]));
    expect(differing).toEqual([]);
    resumed.dispose();
    resumedModel.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Trainer divergence', () => {
  it('stops a finite but exploding loss before writing a checkpoint', async () => {
    const store = memoryCheckpointStore();
    const model = tinyModel(1);
    const losses: number[] = [];
    // Plain SGD at lr 40: the loss grows by orders of magnitude while staying finite for a while.
    const trainer = new Trainer(options(model, {
      lr: () => 40, optimizer: { kind: 'sgd', momentum: 0.9 }, checkpoints: { store, every: 1 }, divergence: { window: 3, factor: 5 },
      callbacks: { onStep: (info) => void losses.push(info.loss) },
    }));
    const error = await trainer.fit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EffnetTrainError);
    expect((error as Error).message).toMatch(/^loss: the run diverged/);
    // Every checkpoint written holds only finite values.
    for (const saved of store.saved) for (const [name, t] of Object.entries(saved.tensors)) expect(t.values.every(Number.isFinite), name).toBe(true);
    expect(losses.every(Number.isFinite)).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  it('refuses to write a checkpoint of non-finite weights, naming the tensor', async () => {
    const model = tinyModel(2);
    const trainer = new Trainer(options(model, { divergence: false }));
    tf.tidy(() => model.namedVariables()['fc.bias']!.assign(tf.tensor1d([0, 0, 0, NaN, 0, 0, 0, 0, 0, 0])));
    const error = await trainer.saveCheckpoint(memoryCheckpointStore()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EffnetTrainError);
    expect((error as Error).message).toMatch(/'model\/fc\.bias' is NaN after step 0, so no checkpoint was written/);
    trainer.dispose();
    model.dispose();
  });
});

describe('Trainer.resume refuses a bad checkpoint and changes nothing', () => {
  async function checkpointAfter(steps: number, extra: Partial<TrainerOptions> = {}): Promise<CheckpointContent> {
    const store = memoryCheckpointStore();
    const model = tinyModel(4);
    const trainer: Trainer = new Trainer(options(model, { ...extra, checkpoints: { store, every: steps }, callbacks: { onStep: (info) => (info.step === steps ? trainer.stop() : undefined) } }));
    await trainer.fit();
    trainer.dispose();
    model.dispose();
    return store.saved.at(-1)!;
  }

  async function resumeFrom(content: CheckpointContent, extra: Partial<TrainerOptions> = {}): Promise<unknown> {
    const store = memoryCheckpointStore();
    await store.save(content, 1);
    const before = tf.memory().numTensors;
    const model = tinyModel(9);
    const weights = await snapshot(model);
    const trainer = new Trainer(options(model, { ...extra, checkpoints: { store } }));
    const error = await trainer.resume().catch((e: unknown) => e);
    expect(await snapshot(model)).toEqual(weights);
    expect(trainer.step).toBe(0);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    return error;
  }

  it('a missing optimiser slot', async () => {
    const content = await checkpointAfter(2);
    delete content.tensors['optimizer/2'];
    const error = await resumeFrom(content);
    expect(error).toBeInstanceOf(EffnetTrainError);
    expect((error as Error).message).toMatch(/^resume: memory:step-2 lacks the tensor 'optimizer\/2'/);
  });

  it('a weight of the wrong shape, and one that is Infinity', async () => {
    const content = await checkpointAfter(2);
    content.tensors['model/fc.bias'] = { shape: [5], dtype: 'float32', values: new Float32Array(5) };
    expect(((await resumeFrom(content)) as Error).message).toMatch(/has 'model\/fc\.bias' of shape \[5\], the model needs \[10\]/);
    const other = await checkpointAfter(2);
    (other.tensors['ema/conv.kernel']!.values as Float32Array)[7] = Infinity;
    expect(((await resumeFrom(other)) as Error).message).toMatch(/holds Infinity in 'ema\/conv\.kernel'/);
  });

  it('another optimiser than the one that wrote it', async () => {
    const content = await checkpointAfter(2);
    const error = await resumeFrom(content, { optimizer: { kind: 'sgd', momentum: 0.9 } });
    expect(error).toBeInstanceOf(EffnetTrainError);
    expect((error as Error).message).toBe('optimizer: the checkpoint in memory:step-2 was trained with adamw, this run uses sgd: resume with the same optimizer');
  });
});

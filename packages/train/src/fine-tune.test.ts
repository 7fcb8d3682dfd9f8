import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistSample } from '../test/fashion-mnist-sample.js';
import { stages } from '../test/stages.js';
import { tinyClassifier } from '../test/tiny-classifier.js';
import { memoryCheckpointStore } from './checkpoint-store.js';
import { EffnetTrainError } from './errors.js';
import { standardPrepare } from './prepare.js';
import { Trainer } from './trainer.js';
import type { FineTuneOptions, TrainerOptions } from './trainer-options.js';
import type { TrainableModel } from './trainable-model.js';

const train = fashionMnistSample('fashion-mnist/train', 4);
const plan = stages([4, 14]);

function options(model: TrainableModel, fineTune?: FineTuneOptions, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    model, train, numClasses: 10, batchSize: 8, plan, seed: 5, lr: () => 0.05, optimizer: { kind: 'adamw', weightDecay: 0 },
    prepare: standardPrepare({ numClasses: 10 }), ...(fineTune ? { fineTune } : {}), ...extra,
  };
}

function values(model: TrainableModel): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.namedVariables()).map(([name, v]) => [name, Array.from(v.dataSync())]));
}

function changed(before: Record<string, number[]>, after: Record<string, number[]>): string[] {
  return Object.keys(before).filter((name) => before[name]!.some((x, i) => x !== after[name]![i])).sort();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fine-tuning', () => {
  it.each([
    ['none', undefined, ['classifier.bias', 'classifier.kernel', 'stem.bn.beta', 'stem.bn.gamma', 'stem.conv.kernel'], false],
    ['bn', undefined, ['classifier.bias', 'classifier.kernel', 'stem.conv.kernel'], true],
    ['backbone', undefined, ['classifier.bias', 'classifier.kernel'], true],
    ['none', 0, ['stem.bn.beta', 'stem.bn.gamma', 'stem.conv.kernel'], false],
  ] as const)('freeze %s, head lr %s: exactly the expected variables change', async (freeze, headLr, expected, frozenBn) => {
    const model = tinyClassifier(1);
    const before = values(model);
    const trainer = new Trainer(options(model, { freeze, ...(headLr === undefined ? {} : { headLr: () => headLr }) }));
    await trainer.fit();
    expect(changed(before, values(model))).toEqual(expected);
    expect(model.lastOptions?.frozenBatchNorm === true).toBe(frozenBn);
    trainer.dispose();
    model.dispose();
  });

  it('a separate head learning rate resumes bit for bit (both optimisers are checkpointed)', async () => {
    const fineTune: FineTuneOptions = { freeze: 'bn', headLr: (step) => 0.2 / (1 + step) };
    const straightModel = tinyClassifier(2);
    const straight = new Trainer(options(straightModel, fineTune, { plan: stages([3, 14], [3, 16]) }));
    await straight.fit();
    const expected = values(straightModel);
    straight.dispose();
    straightModel.dispose();
    const store = memoryCheckpointStore();
    const firstModel = tinyClassifier(2);
    const first: Trainer = new Trainer(options(firstModel, fineTune, { plan: stages([3, 14], [3, 16]), checkpoints: { store }, callbacks: { onStep: (i) => (i.step === 2 ? first.stop() : undefined) } }));
    await first.fit();
    first.dispose();
    firstModel.dispose();
    const resumedModel = tinyClassifier(9);
    const resumed = new Trainer(options(resumedModel, fineTune, { plan: stages([3, 14], [3, 16]), checkpoints: { store } }));
    expect(await resumed.resume()).toBe(2);
    await resumed.fit();
    expect(values(resumedModel)).toEqual(expected);
    resumed.dispose();
    resumedModel.dispose();
    const other = tinyClassifier(9);
    const withoutHead = new Trainer(options(other, { freeze: 'bn' }, { checkpoints: { store } }));
    await expect(withoutHead.resume()).rejects.toThrow(/head LR/);
    withoutHead.dispose();
    other.dispose();
  });

  it('refuses an unknown mode and a model without a classifier, naming the option', () => {
    const model = tinyClassifier(3);
    expect(() => new Trainer(options(model, { freeze: 'head' as never }))).toThrow(EffnetTrainError);
    expect(() => new Trainer(options(model, { freeze: 'backbone', isHead: (name) => name.startsWith('fc.') }))).toThrow(/no variable of the model is the classifier/);
    model.dispose();
  });
});

import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistSample } from '../../test/fashion-mnist-sample.js';
import { fitFailure } from '../../test/fit-failure.js';
import { stages } from '../../test/stages.js';
import { tinyConvNet } from '../../test/tiny-conv-net.js';
import { tsWorker } from '../../test/ts-worker.js';
import { memoryCheckpointStore } from '../checkpoint-store.js';
import { EffnetTrainError } from '../errors.js';
import { workerTransport } from '../node/worker-transport.js';
import { standardPrepare } from '../prepare.js';
import { Trainer } from '../trainer.js';
import type { TrainerOptions } from '../trainer-options.js';
import type { TrainableModel } from '../trainable-model.js';
import { GradientPool, shardSizes, weightedSum } from './gradient-pool.js';

const WORKER = fileURLToPath(new URL('../../test/tiny-replica-worker.ts', import.meta.url));
const train = fashionMnistSample('fashion-mnist/train', 12);

/** A pool of this thread and `workers` tiny-net workers built from `description`. */
function pool(workers: number, description: object): GradientPool {
  const transports = Array.from({ length: workers }, () => workerTransport(tsWorker(WORKER)));
  return new GradientPool(transports, description);
}

function options(model: TrainableModel, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    model, train, numClasses: 10, batchSize: 15, plan: stages([10, 20, 0]), seed: 5,
    lr: () => 0.2, optimizer: { kind: 'sgd', momentum: 0.9 }, weightDecay: 1e-3,
    prepare: standardPrepare({ numClasses: 10, mean: [0.286], std: [0.353], labelSmoothing: 0.1 }), ...extra,
  };
}

async function weights(model: TrainableModel): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [name, variable] of Object.entries(model.namedVariables())) out[name] = (await variable.data()) as Float32Array;
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('data-parallel training', () => {
  it('splits a batch as evenly as possible', () => {
    expect(shardSizes(15, 2)).toEqual([8, 7]);
    expect(shardSizes(2, 3)).toEqual([1, 1, 0]);
  });

  it('sums weighted gradients bit for bit as tf.addN of tf.mul does', () => {
    const random = (seed: number) => tf.tidy(() => tf.mul(tf.randomNormal([1000], 0, 3, 'float32', seed), tf.randomUniform([1000], 1e-3, 1e3, 'float32', seed + 1)));
    for (const weights of [[8 / 15, 7 / 15], [4 / 10, 3 / 10, 3 / 10]]) {
      const parts = weights.map((_, i) => random(10 + 2 * i));
      const arrays = parts.map((part) => part.dataSync() as Float32Array);
      const expected = tf.tidy(() => tf.addN(parts.map((part, i) => tf.mul(part, weights[i]!))).dataSync());
      const actual = weightedSum(arrays, weights);
      expect(Array.from(actual).some((value, i) => value !== Math.fround(arrays.reduce((sum, part, p) => sum + part[i]! * weights[p]!, 0)))).toBe(true); // float64 sums differ: rounding order matters
      expect(actual).toEqual(expected);
      tf.dispose(parts);
    }
  });

  it('gives the weights of one replica within 1e-5 after 10 steps with two (uneven shards 8 + 7), leaking nothing', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const alone = tinyConvNet(3);
    const single = new Trainer(options(alone));
    await single.fit();
    const expected = await weights(alone);
    const start = await weights(tinyConvNet(3)); // not disposed below: compared to prove training moved
    const shared = tinyConvNet(3);
    const replicas = pool(1, { seed: 3 });
    const parallel = new Trainer(options(shared, { replicas }));
    try {
      await parallel.fit();
    } finally {
      await replicas.close();
    }
    const actual = await weights(shared);
    for (const name of Object.keys(expected)) {
      const moved = Math.max(...expected[name]!.map((v, i) => Math.abs(v - start[name]![i]!)));
      expect(moved, name).toBeGreaterThan(1e-3);
      const gap = Math.max(...actual[name]!.map((v, i) => Math.abs(v - expected[name]![i]!)));
      expect(gap, name).toBeLessThan(1e-5);
    }
    single.dispose();
    parallel.dispose();
    alone.dispose();
    shared.dispose();
    tf.disposeVariables();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 60_000);

  it('ends the run with one typed line when a worker dies, the last checkpoint intact', async () => {
    const model = tinyConvNet(4);
    const store = memoryCheckpointStore();
    const replicas = pool(1, { seed: 4, exitAtStep: 4 });
    const trainer = new Trainer(options(model, { replicas, checkpoints: { store, every: 2 } }));
    const error = await fitFailure(trainer, replicas);
    expect(error).toBeInstanceOf(EffnetTrainError);
    expect((error as Error).message).toBe('workers: worker 1 of 2 failed: the worker exited (code 3)');
    expect(trainer.step).toBe(3);
    expect((await store.latest())!.content.step).toBe(2);
    const resumed = tinyConvNet(4);
    const again = new Trainer(options(resumed));
    expect(await again.resume(store)).toBe(2);
    trainer.dispose();
    again.dispose();
    model.dispose();
    resumed.dispose();
  }, 60_000);

  it('refuses replicas with a custom loss', () => {
    const model = tinyConvNet(5);
    const replicas = new GradientPool([], { seed: 5 });
    expect(() => new Trainer(options(model, { replicas, loss: () => tf.scalar(0) }))).toThrow(/replicas: data-parallel replicas train with the default cross-entropy loss only/);
    model.dispose();
  });
});

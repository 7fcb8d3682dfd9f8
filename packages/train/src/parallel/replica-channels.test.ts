// A replica that answers a request with an error (here: it cannot build its model) ends the run with
// one typed line, the request it answered included, instead of leaving that request waiting.
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
import { EffnetTrainError } from '../errors.js';
import { workerTransport } from '../node/worker-transport.js';
import { standardPrepare } from '../prepare.js';
import { Trainer } from '../trainer.js';
import { GradientPool } from './gradient-pool.js';

const WORKER = fileURLToPath(new URL('../../test/tiny-replica-worker.ts', import.meta.url));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('replica channels', () => {
  it('fail the request a replica answers with an error', async () => {
    const model = tinyConvNet(6);
    // No description: the worker's build cannot read the seed from it and answers with an error.
    const replicas = new GradientPool([workerTransport(tsWorker(WORKER))], null);
    const trainer = new Trainer({
      model, train: fashionMnistSample('fashion-mnist/train', 3), numClasses: 10, batchSize: 10, plan: stages([2, 20, 0]), seed: 1,
      lr: () => 0.1, optimizer: { kind: 'sgd' }, prepare: standardPrepare({ numClasses: 10, mean: [0.286], std: [0.353] }), replicas,
    });
    const error = await fitFailure(trainer, replicas);
    expect(error).toBeInstanceOf(EffnetTrainError);
    expect((error as Error).message).toMatch(/^workers: worker 1 of 2 failed: Cannot destructure property 'seed' of .* as it is null\.$/);
    expect(trainer.step).toBe(0);
    trainer.dispose();
    model.dispose();
  }, 60_000);
});

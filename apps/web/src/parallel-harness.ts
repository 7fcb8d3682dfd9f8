// The data-parallel check of the browser harness (part of `window.effnet`): the tiny conv net
// (no batch norm) trained by @effnet/train's Trainer on one replica, then on the page's thread plus
// Web Worker replicas (a GradientPool over webWorkerTransport), from the same seed and batches;
// it returns how far apart the weights end and how far they moved, with the live tensor counts.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { GradientPool, InMemoryDataset, Trainer, standardPrepare, webWorkerTransport, type TrainerOptions } from '@effnet/train';
import { tinyConvNet } from './tiny-conv-net.js';

/** What `dataParallel` is given: 28×28 grey images (bytes) with labels 0-9, and the run. */
export interface DataParallelInput {
  backend: string;
  images: number[];
  labels: number[];
  replicas: number;
  steps: number;
  /** A worker replica throws an uncaught error in this step of its own. */
  crashAtStep?: number;
  /** The worker replicas fail to build their model. */
  failToBuild?: boolean;
}

/** How the runs ended. */
export interface DataParallelResult {
  /** Per variable, the largest |N replicas − 1 replica| weight difference (absent when the run failed). */
  gaps: Record<string, number>;
  /** Per variable, the largest change of the one-replica run from the start. */
  moved: Record<string, number>;
  /** tf.memory().numTensors before both runs and after everything was disposed. */
  tensors: { before: number; after: number };
  /** The parallel run's error, if it failed: its class name and message, and the steps it had taken. */
  error?: { name: string; message: string; step: number };
}

function options(model: ReturnType<typeof tinyConvNet>, input: DataParallelInput, replicas?: GradientPool): TrainerOptions {
  const train = new InMemoryDataset({ name: 'fashion-mnist-sample', images: Uint8Array.from(input.images), labels: Int32Array.from(input.labels), imageShape: [28, 28, 1], classNames: Array.from({ length: 10 }, (_, i) => String(i)) });
  return {
    model, train, numClasses: 10, batchSize: 15, seed: 5, lr: () => 0.2, optimizer: { kind: 'sgd', momentum: 0.9 }, weightDecay: 1e-3,
    plan: [{ index: 0, startStep: 0, steps: input.steps, imageSize: 20, dropout: 0, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 }],
    prepare: standardPrepare({ numClasses: 10, mean: [0.286], std: [0.353], labelSmoothing: 0.1 }),
    ...(replicas ? { replicas } : {}),
  };
}

function weights(model: ReturnType<typeof tinyConvNet>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(model.namedVariables()).map(([name, variable]) => [name, variable.dataSync() as Float32Array]));
}

function largestGap(a: Record<string, Float32Array>, b: Record<string, Float32Array>): Record<string, number> {
  return Object.fromEntries(Object.keys(a).map((name) => [name, Math.max(...a[name]!.map((v, i) => Math.abs(v - b[name]![i]!)))]));
}

/** The data-parallel functions on `window.effnet`. */
export const parallelHarness = {
  /** One replica against `input.replicas` (Web Workers for all but the first) on `input.backend`. */
  async dataParallel(input: DataParallelInput): Promise<DataParallelResult> {
    await useBackend(input.backend);
    const before = tf.memory().numTensors;
    const start = tinyConvNet(3);
    const initial = weights(start);
    start.dispose();
    const alone = tinyConvNet(3);
    const single = new Trainer(options(alone, input));
    await single.fit();
    const expected = weights(alone);
    const shared = tinyConvNet(3);
    const transports = Array.from({ length: input.replicas - 1 }, () => webWorkerTransport(new Worker(new URL('./parallel-harness-worker.ts', import.meta.url), { type: 'module' })));
    const pool = new GradientPool(transports, { seed: 3, backend: input.backend, crashAtStep: input.crashAtStep, failToBuild: input.failToBuild });
    const parallel = new Trainer(options(shared, input, pool));
    let error: DataParallelResult['error'];
    try {
      await parallel.fit();
    } catch (caught) {
      error = { name: (caught as Error).name, message: (caught as Error).message, step: parallel.step };
    } finally {
      await pool.close();
    }
    const result = { gaps: error ? {} : largestGap(weights(shared), expected), moved: largestGap(expected, initial) };
    single.dispose();
    parallel.dispose();
    alone.dispose();
    shared.dispose();
    return { ...result, tensors: { before, after: tf.memory().numTensors }, ...(error ? { error } : {}) };
  },
};

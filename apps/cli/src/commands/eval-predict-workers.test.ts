// `effnet eval --workers` and `effnet predict --workers`: 2 replicas (the main thread and a worker
// thread, wasm) give exactly the figures and labels of 1 on a tiny random model; bad values end with
// one typed line; a worker that dies ends the command with one line, leaking no tensor here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '@effnet/backends';
import { encodePng, fashionMnist } from '@effnet/data';
import { efficientnet, type EfficientNet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { EffnetTrainError } from '@effnet/train';
import { workerTransport } from '@effnet/train/node';
import { runCli } from '../../test/cli-runner.js';
import { errorLine } from '../error-line.js';
import { InferencePool, type FromInference, type ToInference } from '../run/inference-pool.js';
import { saveModel, type ModelMeta } from '../run/model-folder.js';
import type { Prediction } from '../run/inference.js';

const dir = mkdtempSync(join(tmpdir(), 'effnet-infer-workers-'));
const runDir = join(dir, 'run');
const files: string[] = [];
let model: EfficientNet;
let meta: ModelMeta;

beforeAll(async () => {
  await useBackend('wasm');
  const spec = preset('efficientnetv2-28-lite', { numClasses: 10, inChannels: 1 }) as ModelSpec;
  model = efficientnet(spec, { seed: 5 });
  const test = fashionMnist({ split: 'test', limitPerClass: 3 });
  // Moving statistics of real images (training-mode passes), or the random network's activations
  // vanish and every image gets one class.
  const pixels = new Uint8Array(30 * 28 * 28);
  for (let i = 0; i < 30; i++) pixels.set(test.example(i).image, i * 28 * 28);
  for (let pass = 0; pass < 30; pass++) {
    tf.tidy(() => model.forward(tf.tensor4d(pixels, [30, 28, 28, 1], 'float32').div(255).sub(0.5).div(0.25), { training: true, seed: pass }));
  }
  meta = { spec, classNames: [...test.classNames], mean: [0.5], std: [0.25], imageSize: 28, source: 'test' };
  await saveModel(runDir, model, meta);
  for (let i = 0; i < 25; i++) {
    const file = join(dir, `image-${i}.png`);
    writeFileSync(file, await encodePng(test.example(i).image, 28, 28, 1));
    files.push(file);
  }
}, 120_000);
afterAll(() => {
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('effnet eval --workers', () => {
  it('gives the loss, accuracy and confusion matrix of one replica with two (5 batches: 3 groups, the last short)', async () => {
    const evaluate = async (workers: string) => {
      const result = await runCli('eval', runDir, '--data', 'fashion-mnist', '--limit-per-class', '3', '--batch', '7', '--backend', 'wasm', '--workers', workers, '--json');
      expect(result.code, result.err).toBe(0);
      return JSON.parse(result.out) as { workers: number; loss: number; top1: number; top5: number; count: number; confusion: number[][] };
    };
    const { workers: one, ...single } = await evaluate('1');
    const { workers: two, ...pooled } = await evaluate('2');
    expect([one, two]).toEqual([1, 2]);
    expect(single.count).toBe(30);
    expect(pooled).toEqual(single);
    // The model tells the images apart: more than one class is predicted.
    expect(single.confusion[0]!.map((_, c) => single.confusion.reduce((sum, row) => sum + row[c]!, 0)).filter((n) => n > 0).length).toBeGreaterThan(1);
  }, 120_000);

  it.each([['0'], ['two'], ['257']])('refuses --workers %s with one line', async (value) => {
    const result = await runCli('eval', runDir, '--workers', value);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`error: --workers: expected an integer from 1 to 256 (data-parallel replicas; 1 runs on the main thread alone), got '${value}'\n`);
  });
});

describe('effnet predict --workers', () => {
  it('gives the labels and probabilities of one replica with two, in input order (25 images)', async () => {
    const predict = async (workers: string) => {
      const result = await runCli('predict', ...files, '--model', runDir, '--top', '10', '--backend', 'wasm', '--workers', workers, '--json');
      expect(result.code, result.err).toBe(0);
      return JSON.parse(result.out) as { file: string; predictions: Prediction[] }[];
    };
    const single = await predict('1');
    const pooled = await predict('2');
    expect(pooled.map((r) => r.file)).toEqual(files);
    expect(pooled.map((r) => r.predictions[0]!.index)).toEqual(single.map((r) => r.predictions[0]!.index));
    expect(new Set(single.map((r) => r.predictions[0]!.index)).size).toBeGreaterThan(1);
    pooled.forEach((r, i) => r.predictions.forEach((p, k) => {
      expect(p.index).toBe(single[i]!.predictions[k]!.index);
      expect(Math.abs(p.probability - single[i]!.predictions[k]!.probability)).toBeLessThanOrEqual(1e-6);
    }));
  }, 120_000);

  it('refuses --workers 2 on a backend that is not wasm or cpu with one line', async () => {
    const result = await runCli('predict', files[0]!, '--model', runDir, '--backend', 'onnx', '--workers', '2');
    expect(result.code).toBe(2);
    expect(result.err).toBe("error: --workers: 2 replicas need the wasm or cpu backend, but the run uses 'onnx': pass --backend wasm, or --workers 1\n");
  });
});

describe('InferencePool', () => {
  const pool = (source: string) => new InferencePool([workerTransport<ToInference, FromInference>(new Worker(source, { eval: true }))], model, meta);
  const batch = () => ({ images: new Uint8Array(2 * 28 * 28).fill(100), labels: new Int32Array([0, 1]), count: 2, imageShape: [28, 28, 1] as [number, number, number] });

  it('fails with one typed line when a worker exits before it is ready', async () => {
    const dying = pool('process.exit(3)');
    const error = await dying.start(runDir, 'wasm').catch((e: unknown) => e);
    await dying.close();
    expect(error).toBeInstanceOf(EffnetTrainError);
    expect(errorLine(error)).toBe('workers: worker 1 of 2 failed: the worker exited (code 3)');
  });

  it('fails with one typed line when a worker dies mid-evaluation, leaking no tensor on this thread', async () => {
    const before = tf.memory().numTensors;
    const dying = pool("const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => (m.type === 'load' ? parentPort.postMessage({ type: 'ready' }) : process.exit(5)));");
    await dying.start(runDir, 'wasm');
    const error = await dying.outputs([batch(), batch()]).catch((e: unknown) => e);
    await dying.close();
    expect(errorLine(error)).toBe('workers: worker 1 of 2 failed: the worker exited (code 5)');
    expect(tf.memory().numTensors).toBe(before);
  });
});

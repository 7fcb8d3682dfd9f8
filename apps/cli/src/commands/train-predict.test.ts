// End-to-end tests of `effnet train`, `predict`, `eval` and `bench` on tiny runs (a few steps of
// the small preset on 40 Fashion-MNIST images, cpu backend), through `main` as a user calls them.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJpeg, encodePng, fashionMnist } from '@effnet/data';
import { readMetrics } from '@effnet/train/node';
import { runCli } from '../../test/cli-runner.js';
import { probabilities } from '../run/inference.js';
import { loadModel as loadPublishedModel } from '@effnet/models';
import { preset } from '@effnet/scaling';
import { loadModel } from '../run/model-folder.js';
import type { TrainRunSummary } from '../run/training-run.js';

const run = runCli;

let dir: string;
let runDir: string;
let summary: TrainRunSummary;
const test = fashionMnist({ split: 'test', limitPerClass: 2 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-cli-'));
  runDir = join(dir, 'run');
  const result = await run(
    'train', '--out', runDir, '--backend', 'wasm', '--limit-per-class', '4', '--batch', '8', '--epochs', '1.2', '--stages', '3',
    '--from-size', '14', '--to-size', '28', '--stage-eval', '10', '--samples', '4', '--checkpoint-every', '4', '--seed', '3', '--json',
  );
  expect(result.err).not.toMatch(/error/);
  expect(result.code).toBe(0);
  summary = JSON.parse(result.out) as TrainRunSummary;
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('effnet train', () => {
  it('follows a 3-stage progressive plan and writes the run folder', () => {
    expect(summary.steps).toBe(6);
    expect(summary.plan.map((s) => [s.startStep, s.steps, s.imageSize])).toEqual([[0, 2, 14], [2, 2, 22], [4, 2, 28]]);
    expect(summary.plan.map((s) => s.dropout)).toEqual([0.05, 0.125, 0.2]);
    expect(summary.evaluation!.count).toBe(40); // --limit-per-class applies to the held-out split too
    expect(summary.tensorsLeakedPerStep).toBe(0);
    expect(summary.tensorsAfterLastStep).toBe(summary.tensorsAfterFirstStep);
    expect(summary.peakRssMiB).toBeGreaterThan(50);
    for (const name of ['model', 'checkpoints', 'metrics.jsonl', 'report.html', 'summary.json']) expect(existsSync(join(runDir, name)), name).toBe(true);
    // Every 4 steps and at each stage end (2, 4, 6), the newest 3 kept.
    expect(readdirSync(join(runDir, 'checkpoints')).sort()).toEqual(['step-000000002', 'step-000000004', 'step-000000006']);
  });

  it('logs stages, steps and evaluations to metrics.jsonl and draws them in report.html', () => {
    const records = readMetrics(join(runDir, 'metrics.jsonl'));
    expect(records.filter((r) => r.type === 'stage').map((r) => (r.type === 'stage' ? r.imageSize : 0))).toEqual([14, 22, 28]);
    expect(records.filter((r) => r.type === 'step').map((r) => (r.type === 'step' ? r.step : 0))).toEqual([1, 2, 3, 4, 5, 6]);
    const evals = records.filter((r) => r.type === 'eval');
    expect(evals.map((r) => [r.step, r.count])).toEqual([[2, 10], [4, 10], [6, 40]]);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('stage 3: 28px');
    expect(html.match(/<figure class="(ok|bad)">/g)).toHaveLength(4);
  });

  it('rejects a bad option with a one-line error naming it', async () => {
    const result = await run('train', '--out', join(dir, 'bad'), '--optimizer', 'lion', '--backend', 'cpu');
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/'--optimizer <name>' argument 'lion' is invalid. Allowed choices are sgd, rmsprop, adamw/);
  });
});

describe('effnet predict', () => {
  it('gives PNG files exactly the probabilities of the in-memory model, and JPEG files those of their decoded pixels', async () => {
    const before = tf.memory().numTensors;
    const files: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { image } = test.example(i * 5);
      files.push(join(dir, `img-${i}.png`));
      writeFileSync(files.at(-1)!, await encodePng(image, 28, 28, 1));
      files.push(join(dir, `img-${i}.jpg`));
      writeFileSync(files.at(-1)!, await encodeJpeg(image, 28, 28, 1, 90));
    }
    const result = await run('predict', '--model', runDir, '--backend', 'cpu', '--top', '3', '--json', ...files);
    expect(result.code).toBe(0);
    const predicted = JSON.parse(result.out) as { file: string; predictions: { index: number; name: string; probability: number }[] }[];
    expect(predicted.map((p) => p.file)).toEqual(files);

    const { model, meta } = await loadModel(runDir);
    for (const [k, { file, predictions }] of predicted.entries()) {
      const pixels = file.endsWith('.png')
        ? test.example(Math.floor(k / 2) * 5).image
        : new Uint8Array((await sharp(file).greyscale().raw().toBuffer()).buffer.slice(0));
      const probs = await probabilities(model, meta, { images: pixels, labels: new Int32Array(1), count: 1, imageShape: [28, 28, 1] });
      const best = Array.from(probs).indexOf(Math.max(...probs));
      expect(predictions[0]!.index, file).toBe(best);
      expect(predictions[0]!.name).toBe(meta.classNames[best]);
      expect(predictions[0]!.probability).toBeCloseTo(probs[best]!, 6);
      expect(predictions).toHaveLength(3);
    }
    // The run's model folder is @effnet/models' format: its published loadModel reads the same weights.
    const published = await loadPublishedModel(`file://${join(runDir, 'model')}`);
    expect(published.spec).toEqual(model.spec);
    const mine = model.namedVariables();
    const theirs = published.namedVariables();
    expect(Object.keys(theirs).sort()).toEqual(Object.keys(mine).sort());
    for (const name of Object.keys(mine)) expect(Array.from(theirs[name]!.dataSync()), name).toEqual(Array.from(mine[name]!.dataSync()));
    published.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a corrupt image in a one-line error', async () => {
    const corrupt = join(dir, 'corrupt.png');
    writeFileSync(corrupt, Buffer.from('not an image at all'));
    const result = await run('predict', '--model', runDir, '--backend', 'cpu', corrupt);
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(new RegExp(`^error: ${corrupt}: cannot decode image`));
  });

  it('says when the model folder holds no model', async () => {
    const result = await run('predict', '--model', dir, '--backend', 'cpu', join(dir, 'img-0.png'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/holds no model/);
  });
});

describe('effnet eval', () => {
  it('evaluates the saved model on the held-out split with the confusion matrix', async () => {
    const result = await run('eval', runDir, '--data', 'fashion-mnist', '--limit-per-class', '2', '--backend', 'cpu', '--json');
    expect(result.code).toBe(0);
    const evaluation = JSON.parse(result.out) as { count: number; top1: number; confusion: number[][] };
    expect(evaluation.count).toBe(20);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(evaluation.top1).toBe(evaluation.confusion.reduce((hits, row, i) => hits + row[i]!, 0) / 20);
  });
});

describe('effnet bench', () => {
  it('times inference and a training step of a preset', async () => {
    const result = await run('bench', '--preset', 'efficientnetv2-28', '--channels', '1', '--classes', '10', '--resolution', '16', '--runs', '2', '--warmup', '1', '--train', '--backend', 'cpu', '--json');
    expect(result.code).toBe(0);
    const bench = JSON.parse(result.out) as { preset: string; resolution: number; batch: number; runs: number; inference: { ms: number }; training: { ms: number } };
    expect([bench.preset, bench.resolution, bench.batch, bench.runs]).toEqual(['efficientnetv2-28', 16, 1, 2]);
    expect(bench.inference.ms).toBeGreaterThan(0);
    expect(bench.training.ms).toBeGreaterThan(0);
  });

  it('times a spec file (such as effnet search writes) with its own channels and classes', async () => {
    const file = join(dir, 'found.json');
    writeFileSync(file, JSON.stringify({ ...preset('efficientnetv2-28-lite', { numClasses: 3, inChannels: 1 }), name: 'found-net' }));
    const result = await run('bench', '--spec', file, '--resolution', '16', '--batch', '2', '--runs', '1', '--warmup', '1', '--train', '--backend', 'cpu', '--json');
    expect(result.err).toBe('');
    const bench = JSON.parse(result.out) as { preset: string; resolution: number; batch: number; training: { ms: number } };
    expect([bench.preset, bench.resolution, bench.batch]).toEqual(['found-net', 16, 2]);
    const classes = await run('bench', '--spec', file, '--classes', '10', '--backend', 'cpu');
    expect([classes.code, classes.err.trim()]).toEqual([2, expect.stringMatching(/found\.json has 3 classes but the data has 10/)]);
    const both = await run('bench', '--spec', file, '--preset', 'efficientnet-b0', '--backend', 'cpu');
    expect([both.code, both.err.trim()]).toEqual([2, expect.stringMatching(/--spec and --preset were both given/)]);
  });
});

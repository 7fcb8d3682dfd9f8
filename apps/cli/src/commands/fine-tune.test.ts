// `effnet train --init`: fine-tuning from a model folder or a timm .safetensors file, on other
// classes (`--classes`), with a new classifier (`--num-classes`), frozen layers (`--freeze`) and
// a classifier learning rate (`--head-lr`); bad values of every new flag end in one line, exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { toStateDict } from '@effnet/export';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { loadCheckpoint } from '@effnet/train/node';
import { runCli } from '../../test/cli-runner.js';
import { loadModel } from '../run/model-folder.js';

const run = runCli;

const TINY = ['--backend', 'wasm', '--limit-per-class', '4', '--batch', '8', '--epochs', '2', '--stages', '1', '--to-size', '16', '--stage-eval', '0', '--samples', '0', '--seed', '2'];

/** The live weights of a run's last checkpoint. */
function finalWeights(runDir: string, step: string): Record<string, number[]> {
  const content = loadCheckpoint(join(runDir, 'checkpoints', step));
  return Object.fromEntries(Object.entries(content.tensors).filter(([n]) => n.startsWith('model/')).map(([n, t]) => [n.slice('model/'.length), Array.from(t.values)]));
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-fine-tune-'));
  const base = await run('train', '--preset', 'efficientnetv2-28-lite', '--classes', '0-4', '--out', join(dir, 'base'), ...TINY, '--json');
  expect(base.code, base.err).toBe(0);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('effnet train --init', () => {
  it('--freeze backbone trains the new classifier alone; the rest keeps the imported weights and BN statistics', async () => {
    const tuned = await run('train', '--init', join(dir, 'base'), '--classes', '5-9', '--num-classes', '5', '--freeze', 'backbone', '--head-lr', '0.01', '--out', join(dir, 'tuned'), ...TINY, '--json');
    expect(tuned.code, tuned.err).toBe(0);
    expect(tuned.err).toMatch(/fine-tuned from .*base, freezing all but the classifier, classifier lr 0\.01/);
    const summary = JSON.parse(tuned.out) as { preset: string; evaluation: { count: number } };
    expect([summary.preset, summary.evaluation.count]).toEqual(['efficientnetv2-28-lite', 20]);
    // The base run's model folder holds its EMA weights, which the fine-tuning starts from.
    const { model } = await loadModel(join(dir, 'base'));
    const before = Object.fromEntries(Object.entries(model.namedVariables()).map(([n, v]) => [n, Array.from(v.dataSync())]));
    model.dispose();
    // 20 images of 5 classes at batch 8: 2 steps per epoch, 4 in all.
    const after = finalWeights(join(dir, 'tuned'), 'step-000000004');
    const changed = Object.keys(after).filter((name) => after[name]!.some((x, i) => x !== before[name]![i])).sort();
    expect(changed).toEqual(['classifier.bias', 'classifier.kernel']);
  }, 120_000);

  it('starts from a timm .safetensors file of the preset', async () => {
    const file = join(dir, 'base.safetensors');
    expect((await run('export', join(dir, 'base'), '--format', 'timm', '--out', file)).code).toBe(0);
    const tuned = await run('train', '--init', file, '--preset', 'efficientnetv2-28-lite', '--classes', '5-9', '--freeze', 'bn', '--out', join(dir, 'from-file'), ...TINY, '--json');
    expect(tuned.code, tuned.err).toBe(0);
    expect(tuned.err).toMatch(/fine-tuned from timm weights/);
  }, 120_000);

  it('adapts RGB weights to grey images (the stem summed over R, G and B, as timm) and says so', async () => {
    const rgb = efficientnet(preset('efficientnetv2-28-lite', { numClasses: 10, inChannels: 3 }) as ModelSpec, { seed: 5 });
    const file = join(dir, 'rgb.safetensors');
    writeFileSync(file, toStateDict(rgb, 'timm'));
    const kernel = rgb.namedVariables()['stem.conv.kernel']!;
    const sum = tf.sum(kernel, 2);
    const summed = Array.from(sum.dataSync());
    sum.dispose();
    rgb.dispose();
    const tuned = await run('train', '--init', file, '--preset', 'efficientnetv2-28-lite', '--out', join(dir, 'from-rgb'), ...TINY, '--freeze', 'backbone', '--json');
    expect(tuned.code, tuned.err).toBe(0);
    expect(tuned.err).toMatch(/fine-tuned from timm weights .*rgb\.safetensors, stem adapted from 3 to 1 channels/);
    // With the backbone frozen the stem keeps the adapted kernel: the RGB kernel summed over its channels.
    const stem = finalWeights(join(dir, 'from-rgb'), 'step-000000010')['stem.conv.kernel']!;
    expect(stem.length).toBe(summed.length);
    stem.forEach((value, i) => expect(value).toBeCloseTo(summed[i]!, 6));
  }, 120_000);

  it.each([
    [['--freeze', 'head'], /^error: --freeze: expected one of none, bn, backbone, got 'head'$/],
    [['--head-lr', '-1'], /^error: --head-lr: expected a learning rate in \[0, 100\], got '-1'$/],
    [['--randaugment', '40'], /^error: --randaugment: expected magnitudes in \[0, 30\]/],
    [['--mixup', '0.4:0.2'], /^error: --mixup: 0\.4 is larger than 0\.2/],
    [['--cutmix', 'x'], /^error: --cutmix: expected α values/],
    [['--drop-path', '1'], /^error: --drop-path: expected rates in \[0, 1\)/],
    [['--randaugment-ops', '15'], /^error: --randaugment-ops: expected an integer from 0 to 14/],
    [['--num-classes', '3'], /^error: --num-classes: is 3, but fashion-mnist\/train has 10 classes/],
    [['--classes', '0,0'], /^error: --classes: names a class twice/],
    [['--classes', '12'], /^error: --classes: '12' is neither a class index \(0-9\) nor a class name/],
    [['--init', 'no/such/model'], /^error: --init: no\/such\/model does not exist/],
    [['--init', 'NOTES.txt'], /^error: --init: NOTES\.txt is neither a model folder nor a \.safetensors file/],
  ])('%s is refused in one line with exit 2', async (flags, message) => {
    writeFileSync(join(dir, 'NOTES.txt'), 'not a model');
    const result = await run('train', '--out', join(dir, 'refused'), ...TINY, ...flags.map((f) => (f === 'NOTES.txt' ? join(dir, f) : f)));
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err.replace(dir + '/', '').trim()).toMatch(message);
  });
});

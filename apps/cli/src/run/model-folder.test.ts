// The CLI's model folder is @effnet/models' format plus model-meta.json: what saveModel writes,
// @effnet/models' loadModel('file://…') reads with the same weights; a missing model-meta.json is
// a one-line EffnetDataError naming the file, a mismatched one @effnet/models' EffnetModelError.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EffnetModelError, efficientnet, loadModel as loadPublishedModel } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { EffnetDataError } from '@effnet/train';
import { loadModel, saveModel } from './model-folder.js';
import { META_FILE } from './model-meta.js';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'effnet-model-folder-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = preset('efficientnetv2-28-lite', { numClasses: 4, inChannels: 1 }) as ModelSpec;
const meta = { spec, classNames: ['a', 'b', 'c', 'd'], mean: [0.3], std: [0.4], imageSize: 24, source: 'test' };

describe('model folder', () => {
  it('is read by @effnet/models and by the CLI with the same weights and meta', async () => {
    const model = efficientnet(spec, { seed: 9 });
    const run = join(dir, 'run');
    expect(await saveModel(run, model, meta)).toBe(join(run, 'model'));
    const published = await loadPublishedModel(`file://${join(run, 'model')}`);
    const loaded = await loadModel(run);
    expect(loaded.meta).toEqual(meta);
    for (const [name, v] of Object.entries(model.namedVariables())) {
      expect(Array.from(published.namedVariables()[name]!.dataSync()), name).toEqual(Array.from(v.dataSync()));
      expect(Array.from(loaded.model.namedVariables()[name]!.dataSync()), name).toEqual(Array.from(v.dataSync()));
    }
    for (const m of [published, loaded.model, model]) m.dispose();
  });

  it('refuses a missing or mismatched model-meta.json in one line naming it', async () => {
    const model = efficientnet(spec, { seed: 1 });
    const run = join(dir, 'bad');
    await saveModel(run, model, meta);
    model.dispose();
    const metaPath = join(run, 'model', META_FILE);
    writeFileSync(metaPath, JSON.stringify({ format: 'effnet-model-meta', version: 1, ...meta, spec: undefined, classNames: ['only one'] }));
    const before = tf.memory().numTensors;
    const mismatched = await loadModel(run).catch((e: unknown) => e);
    expect(mismatched).toBeInstanceOf(EffnetModelError);
    expect((mismatched as Error).message).toMatch(new RegExp(`^${metaPath}: is not an effnet-model-meta file for this 4-class model`));
    rmSync(metaPath);
    const error = await loadModel(run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EffnetDataError);
    expect(String((error as Error).message).split('\n')).toHaveLength(1);
    expect((error as Error).message).toMatch(/cannot read the model's class names and normalisation/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

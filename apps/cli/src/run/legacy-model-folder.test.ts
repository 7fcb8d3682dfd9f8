// A run folder written before model folders were @effnet/models' format (the model as a checkpoint
// `model/step-NNNNNNNNN/`, made here with the old writer's layout) still loads, with the same
// weights; a training checkpoint passed instead is refused in one line saying what to pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import type { TensorData } from '@effnet/train';
import { saveCheckpoint } from '@effnet/train/node';
import { loadModel } from './model-folder.js';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'effnet-legacy-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a model folder of the old checkpoint layout', () => {
  it('loads with the same weights and meta', async () => {
    const spec = preset('efficientnetv2-28-lite', { numClasses: 3, inChannels: 1 }) as ModelSpec;
    const model = efficientnet(spec, { seed: 4 });
    const tensors: Record<string, TensorData> = {};
    for (const [name, v] of Object.entries(model.namedVariables())) tensors[name] = { shape: v.shape, dtype: 'float32', values: v.dataSync() as Float32Array };
    const meta = { spec, classNames: ['a', 'b', 'c'], mean: [0.5], std: [0.25], imageSize: 20, source: 'effnet train (old layout)' };
    const run = join(dir, 'run');
    saveCheckpoint(join(run, 'model'), { step: 12, stage: 0, state: { kind: 'effnet-model', ...meta }, tensors }, 1);

    const loaded = await loadModel(run);
    expect(loaded.meta).toEqual(meta);
    const theirs = loaded.model.namedVariables();
    for (const [name, v] of Object.entries(model.namedVariables())) expect(Array.from(theirs[name]!.dataSync()), name).toEqual(Array.from(v.dataSync()));
    loaded.model.dispose();
    model.dispose();
  });

  it('refuses a training checkpoint in one line that says to pass the run folder', async () => {
    const checkpoints = join(dir, 'other', 'checkpoints');
    saveCheckpoint(checkpoints, { step: 3, stage: 0, state: { optimizerSlots: [] }, tensors: {} }, 1);
    await expect(loadModel(checkpoints)).rejects.toThrow(/^.*step-000000003: is a training checkpoint, not a model: pass the run folder itself$/);
  });
});

// Model folders of effnet 0.1 (before `effnet train` and `effnet import` wrote @effnet/models'
// model.json): `<run>/model/step-NNNNNNNNN/` written by the checkpoint writer of
// `@effnet/train/node`, holding every variable by name and, as its JSON state, the ModelSpec, the
// class names and the normalisation. They still load; `effnet import` and `effnet train` write the
// new layout.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { efficientnet, type EfficientNet } from '@effnet/models';
import { EffnetDataError } from '@effnet/train';
import { latestCheckpoint, loadCheckpoint } from '@effnet/train/node';
import type { ModelMeta } from './model-meta.js';

const modelDir = (runDir: string) => join(runDir, 'model');

/** Whether `dir` (a run folder or its model folder) holds a model in the old checkpoint layout. */
export function isLegacyModelFolder(dir: string): boolean {
  return (latestCheckpoint(modelDir(dir)) ?? latestCheckpoint(dir)) !== undefined;
}

/** Loads an old checkpoint-layout model folder. */
export function loadLegacyModel(dir: string): { model: EfficientNet; meta: ModelMeta } {
  const path = latestCheckpoint(modelDir(dir)) ?? latestCheckpoint(dir)!;
  const checkpoint = loadCheckpoint(path);
  const meta = checkpoint.state as unknown as ModelMeta & { kind?: string };
  if (meta.kind !== 'effnet-model' || !meta.spec || !Array.isArray(meta.classNames)) {
    throw new EffnetDataError(path, 'is a training checkpoint, not a model: pass the run folder itself');
  }
  const model = efficientnet(meta.spec);
  const variables = model.namedVariables();
  const missing = Object.keys(variables).filter((name) => !checkpoint.tensors[name]);
  if (missing.length > 0) {
    model.dispose();
    throw new EffnetDataError(path, `lacks ${missing.length} variables of its spec (${missing.slice(0, 3).join(', ')}…): the folder is damaged`);
  }
  tf.tidy(() => {
    for (const [name, variable] of Object.entries(variables)) {
      const data = checkpoint.tensors[name]!;
      variable.assign(tf.tensor(data.values, data.shape, data.dtype));
    }
  });
  const { kind: _kind, ...rest } = meta;
  return { model, meta: rest };
}

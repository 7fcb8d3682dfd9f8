// A trained or imported model on disk: `<dir>/model/step-NNNNNNNNN/` written by @effnet/train's
// crash-safe checkpoint writer (temporary folder, fsync, rename), holding every variable by name
// and, as its JSON state, the ModelSpec, the class names and the input normalisation. `effnet
// eval` and `effnet predict` load it; `effnet train` and `effnet import` write it.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { efficientnet, type EfficientNet } from '@effnet/models';
import type { ModelSpec } from '@effnet/scaling';
import { EffnetDataError, latestCheckpoint, loadCheckpoint, saveCheckpoint, type TensorData } from '@effnet/train';

/** What a model folder says about its model besides the weights. */
export interface ModelMeta {
  /** The architecture, fully resolved. */
  spec: ModelSpec;
  /** Class names, indexed by output. */
  classNames: string[];
  /** Per-channel mean on the 0-1 scale. */
  mean: number[];
  /** Per-channel standard deviation on the 0-1 scale. */
  std: number[];
  /** Square input size for evaluation and prediction. */
  imageSize: number;
  /** Where the weights came from (a run, an import). */
  source: string;
}

/** The folder of the model inside a run folder. */
export function modelDir(runDir: string): string {
  return join(runDir, 'model');
}

/** Writes the model's variables and `meta` under `<runDir>/model`, atomically; returns the folder written. */
export async function saveModel(runDir: string, model: EfficientNet, meta: ModelMeta, step = 0): Promise<string> {
  const tensors: Record<string, TensorData> = {};
  for (const [name, variable] of Object.entries(model.namedVariables())) {
    const values = await variable.data();
    tensors[name] = { shape: variable.shape, dtype: variable.dtype === 'int32' ? 'int32' : 'float32', values: values as Float32Array | Int32Array };
  }
  return saveCheckpoint(modelDir(runDir), { step, stage: 0, state: { kind: 'effnet-model', ...meta }, tensors }, 1);
}

/** Loads a model written by {@link saveModel} from a run folder (or its `model` folder). */
export function loadModel(dir: string): { model: EfficientNet; meta: ModelMeta } {
  const path = latestCheckpoint(modelDir(dir)) ?? latestCheckpoint(dir);
  if (!path) throw new EffnetDataError(dir, 'holds no model: pass the folder written by `effnet train` or `effnet import` (it has a model/ sub-folder)');
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

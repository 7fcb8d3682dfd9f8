// A trained or imported model on disk: `<run>/model/` holds `model.json` and `weights.bin` as
// @effnet/models' saveWeights writes them (so `loadModel('file://<run>/model')` of @effnet/models
// reads it), and `model-meta.json` with what the CLI needs besides (class names, input
// normalisation and size, where the weights came from). `effnet train` and `effnet import` write
// it; `effnet eval` and `effnet predict` load it. Folders written before this layout (a checkpoint
// `model/step-NNNNNNNNN/`) still load, through legacy-model-folder.ts.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel as loadWeightsAndSpec, saveWeights, type EfficientNet } from '@effnet/models';
import { EffnetDataError } from '@effnet/train';
import { isLegacyModelFolder, loadLegacyModel } from './legacy-model-folder.js';
import { readMeta, writeMeta, type ModelMeta } from './model-meta.js';

export type { ModelMeta } from './model-meta.js';

/** The folder of the model inside a run folder. */
export function modelDir(runDir: string): string {
  return join(runDir, 'model');
}

/** Writes the model (model.json + weights.bin) and `meta` under `<runDir>/model`, each file atomically; returns the folder. */
export async function saveModel(runDir: string, model: EfficientNet, meta: ModelMeta): Promise<string> {
  const dir = modelDir(runDir);
  mkdirSync(dir, { recursive: true });
  await saveWeights(model, `file://${dir}`);
  writeMeta(dir, meta);
  return dir;
}

/** Loads a model written by {@link saveModel} from a run folder (or its `model` folder); older checkpoint-layout folders load too. */
export async function loadModel(dir: string): Promise<{ model: EfficientNet; meta: ModelMeta }> {
  if (!existsSync(dir)) throw new EffnetDataError(dir, 'no such model folder: pass the folder written by `effnet train` or `effnet import`');
  if (!statSync(dir).isDirectory()) throw new EffnetDataError(dir, 'is a file, not a model folder: pass the folder written by `effnet train` or `effnet import`');
  const folder = [modelDir(dir), dir].find((candidate) => existsSync(join(candidate, 'model.json')));
  if (!folder) {
    if (isLegacyModelFolder(dir)) return loadLegacyModel(dir);
    throw new EffnetDataError(dir, 'holds no model: pass the folder written by `effnet train` or `effnet import` (it has a model/ sub-folder with model.json)');
  }
  const model = await loadWeightsAndSpec(`file://${folder}`);
  try {
    return { model, meta: readMeta(folder, model.spec) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

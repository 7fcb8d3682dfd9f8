// model-meta.json in a model folder on disk: @effnet/models' reader and writer (shared with the
// playground) over Node's file system, written atomically. The CLI's ModelMeta adds the spec,
// which model.json holds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { MODEL_META_FILE, modelMetaJson, parseModelMeta, type ModelMeta as StoredMeta } from '@effnet/models';
import type { ModelSpec } from '@effnet/scaling';
import { EffnetDataError } from '@effnet/train';

/** What a model folder says about its model besides the weights, with the spec. */
export interface ModelMeta extends StoredMeta {
  /** The architecture, fully resolved. */
  spec: ModelSpec;
}

/** The file beside model.json that holds everything of {@link ModelMeta} but the spec. */
export const META_FILE = MODEL_META_FILE;

/** Writes everything of `meta` but the spec (model.json holds it) to `<dir>/model-meta.json`, atomically. */
export function writeMeta(dir: string, meta: ModelMeta): void {
  const { spec: _spec, ...stored } = meta;
  writeFileAtomic.sync(join(dir, META_FILE), modelMetaJson(stored));
}

/** Reads `<dir>/model-meta.json` of a model built from `spec`, checking it fits. */
export function readMeta(dir: string, spec: ModelSpec): ModelMeta {
  const path = join(dir, META_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EffnetDataError(path, `cannot read the model's class names and normalisation (${(error as Error).message}); write the folder with effnet train or effnet import`);
  }
  return { spec, ...parseModelMeta(text, spec, path) };
}

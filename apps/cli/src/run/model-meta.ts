// model-meta.json, the file beside a model folder's model.json with what the CLI needs besides the
// spec and weights: class names, input normalisation and size, and where the weights came from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ModelSpec } from '@effnet/scaling';
import { EffnetDataError } from '@effnet/train';

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

/** The file beside model.json that holds everything of {@link ModelMeta} but the spec. */
export const META_FILE = 'model-meta.json';
const META_FORMAT = 'effnet-model-meta';

/** Writes everything of `meta` but the spec (model.json holds it) to `<dir>/model-meta.json`, atomically. */
export function writeMeta(dir: string, meta: ModelMeta): void {
  const { spec: _spec, ...rest } = meta;
  writeFileAtomic.sync(join(dir, META_FILE), `${JSON.stringify({ format: META_FORMAT, version: 1, ...rest }, null, 2)}\n`);
}

/** Reads `<dir>/model-meta.json` of a model built from `spec`, checking it fits. */
export function readMeta(dir: string, spec: ModelSpec): ModelMeta {
  const path = join(dir, META_FILE);
  let parsed: Partial<ModelMeta> & { format?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new EffnetDataError(path, `cannot read the model's class names and normalisation (${(error as Error).message}); write the folder with effnet train or effnet import`);
  }
  const numbers = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (parsed.format !== META_FORMAT || !Array.isArray(parsed.classNames) || parsed.classNames.length !== spec.numClasses || !numbers(parsed.mean) || !numbers(parsed.std) || !Number.isInteger(parsed.imageSize)) {
    throw new EffnetDataError(path, `is not an ${META_FORMAT} file for this ${spec.numClasses}-class model (format, ${spec.numClasses} classNames, mean, std, imageSize)`);
  }
  return { spec, classNames: parsed.classNames, mean: parsed.mean!, std: parsed.std!, imageSize: parsed.imageSize!, source: String(parsed.source ?? '') };
}


// model-meta.json, the file the effnet CLI writes beside a model folder's model.json (class names,
// input normalisation and size, where the weights came from), read and written in the browser in
// the CLI's format so that folders move both ways between `effnet` and the page.
import type { ModelSpec } from '@effnet/scaling';
import { PlaygroundError } from './errors.js';

/** What a model folder says about its model besides the weights. */
export interface ModelMeta {
  classNames: string[];
  mean: number[];
  std: number[];
  imageSize: number;
  source: string;
}

const FORMAT = 'effnet-model-meta';

/** The file's text. */
export function metaJson(meta: ModelMeta): string {
  return `${JSON.stringify({ format: FORMAT, version: 1, ...meta }, null, 2)}\n`;
}

/** Parses and checks a model-meta.json for a model built from `spec`. */
export function parseMeta(text: string, spec: ModelSpec, where = 'model-meta.json'): ModelMeta {
  let parsed: Partial<ModelMeta> & { format?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PlaygroundError(where, `is not JSON (${(error as Error).message})`);
  }
  const numbers = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (parsed.format !== FORMAT || !Array.isArray(parsed.classNames) || parsed.classNames.length !== spec.numClasses || !numbers(parsed.mean) || !numbers(parsed.std) || !Number.isInteger(parsed.imageSize)) {
    throw new PlaygroundError(where, `is not an ${FORMAT} file for this ${spec.numClasses}-class model (format, ${spec.numClasses} classNames, mean, std, imageSize)`);
  }
  return { classNames: parsed.classNames.map(String), mean: parsed.mean!, std: parsed.std!, imageSize: parsed.imageSize!, source: String(parsed.source ?? '') };
}

// model-meta.json, the file beside a model folder's model.json with what inference needs besides
// the spec and the weights: class names, input normalisation and size, and where the weights came
// from. `effnet train` and `effnet import` write it, `effnet predict` and the playground read it:
// one reader and one writer, browser-safe (text in, text out), so folders move between them.
import type { ModelSpec } from '@effnet/scaling';
import { EffnetModelError } from './errors.js';

/** What a model folder says about its model besides the spec and the weights. */
export interface ModelMeta {
  /** Class names, indexed by output. */
  classNames: string[];
  /** Per-channel mean on the 0-1 scale (one value per input channel). */
  mean: number[];
  /** Per-channel standard deviation on the 0-1 scale (one positive value per input channel). */
  std: number[];
  /** Square input size for evaluation and prediction. */
  imageSize: number;
  /** Where the weights came from (a run, an import). */
  source: string;
}

/** The file name beside model.json. */
export const MODEL_META_FILE = 'model-meta.json';
/** The `format` field of the file. */
export const MODEL_META_FORMAT = 'effnet-model-meta';
const VERSION = 1;

const FIX = 'write the folder with effnet train or effnet import';

/** What is wrong with `meta` (for a model of `spec` when given), or undefined. */
function problem(meta: Partial<ModelMeta>, spec?: Pick<ModelSpec, 'numClasses' | 'inChannels'>): string | undefined {
  const { classNames, mean, std, imageSize } = meta;
  const channels = spec?.inChannels ?? (Array.isArray(mean) ? mean.length : 0);
  const perChannel = (value: unknown, positive: boolean) => Array.isArray(value) && value.length === channels && channels > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0));
  if (!Array.isArray(classNames) || classNames.length === 0 || !classNames.every((name) => typeof name === 'string')) return 'classNames must be a non-empty list of strings';
  if (spec && classNames.length !== spec.numClasses) return `has ${classNames.length} classNames, the model has ${spec.numClasses} classes`;
  if (!perChannel(mean, false)) return `mean must hold ${channels || 'one or more'} finite number(s), one per input channel`;
  if (!perChannel(std, true)) return `std must hold ${channels} positive finite number(s), one per input channel`;
  if (!Number.isInteger(imageSize) || imageSize! < 1) return `imageSize must be a positive integer, not ${String(imageSize)}`;
  return undefined;
}

/**
 * The text of a model-meta.json for `meta`. Throws an {@link EffnetModelError} when `meta` could
 * not be read back (no class names, a mean or std that is not finite, a std of 0, a bad size).
 */
export function modelMetaJson(meta: ModelMeta): string {
  const wrong = problem(meta);
  if (wrong !== undefined) throw new EffnetModelError(MODEL_META_FILE, `not written: ${wrong}`);
  const { classNames, mean, std, imageSize, source } = meta;
  return `${JSON.stringify({ format: MODEL_META_FORMAT, version: VERSION, classNames, mean, std, imageSize, source }, null, 2)}\n`;
}

/**
 * Parses the text of a model-meta.json for a model of `spec` (class count and input channels must
 * match). `where` names the file in errors. Throws an {@link EffnetModelError} naming what is wrong.
 */
export function parseModelMeta(text: string, spec: Pick<ModelSpec, 'numClasses' | 'inChannels'>, where: string = MODEL_META_FILE): ModelMeta {
  let parsed: Partial<ModelMeta> & { format?: unknown; version?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw new EffnetModelError(where, `is not JSON (${(error as Error).message}); ${FIX}`);
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== MODEL_META_FORMAT) {
    throw new EffnetModelError(where, `is not an ${MODEL_META_FORMAT} file (its format field is ${JSON.stringify((parsed as { format?: unknown } | null)?.format)}); ${FIX}`);
  }
  if (parsed.version !== VERSION) throw new EffnetModelError(where, `is version ${String(parsed.version)} of ${MODEL_META_FORMAT}, this effnet reads version ${VERSION}; update effnet or write the folder again`);
  const wrong = problem(parsed, spec);
  if (wrong !== undefined) throw new EffnetModelError(where, `is not an ${MODEL_META_FORMAT} file for this ${spec.numClasses}-class model with ${spec.inChannels} input channel(s): ${wrong}`);
  return { classNames: [...parsed.classNames!], mean: [...parsed.mean!], std: [...parsed.std!], imageSize: parsed.imageSize!, source: String(parsed.source ?? '') };
}

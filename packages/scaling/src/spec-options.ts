// Checks and normalises the per-model options shared by presets, overrides, customSpec and the
// stage-table resolver: classes, input channels, padding, dropout, drop path, resolution, BN.
import { requireInteger, requireKnownKeys, requireOneOf, requirePositive, requireRate } from './config-checks.js';
import { EffnetConfigError } from './errors.js';
import type { Activation, BatchNormSpec, PaddingConvention, PreprocessingSpec, ResolutionSpec } from './model-spec.js';

/** Image size: one number for train and eval, or both. */
export type ResolutionInput = number | ResolutionSpec;

/** Normalises and checks a resolution (positive integers). */
export function checkResolution(value: ResolutionInput, field = 'resolution'): ResolutionSpec {
  if (typeof value === 'number') {
    requireInteger(field, value);
    return { train: value, eval: value };
  }
  const object = requireKnownKeys(field, value, ['train', 'eval']);
  return { train: requireInteger(`${field}.train`, object.train), eval: requireInteger(`${field}.eval`, object.eval) };
}

/** Checks batch-norm settings: eps > 0, momentum in (0, 1]. */
export function checkBatchNorm(value: BatchNormSpec, field = 'batchNorm'): BatchNormSpec {
  const object = requireKnownKeys(field, value, ['eps', 'momentum']);
  const eps = requirePositive(`${field}.eps`, object.eps);
  const momentum = requirePositive(`${field}.momentum`, object.momentum);
  if (momentum > 1) {
    throw new EffnetConfigError(`${field}.momentum`, `${field}.momentum is PyTorch's (0.1 is TensorFlow's 0.9) and must be in (0, 1], got ${momentum}`);
  }
  return { eps, momentum };
}

/** Checks a padding convention. */
export function checkPadding(value: unknown, field = 'padding'): PaddingConvention {
  return requireOneOf(field, value, ['same', 'symmetric']);
}

/** Checks an activation name. */
export function checkActivation(value: unknown, field = 'activation'): Activation {
  return requireOneOf(field, value, ['silu', 'relu', 'relu6', 'gelu']);
}

/** Checks a class count (0 = no classifier). */
export function checkNumClasses(value: unknown, field = 'numClasses'): number {
  return requireInteger(field, value, 0);
}

/** Checks input channels. */
export function checkInChannels(value: unknown, field = 'inChannels'): number {
  return requireInteger(field, value, 1);
}

/** Checks a dropout or drop-path rate in [0, 1). */
export function checkRate(value: unknown, field: string): number {
  return requireRate(field, value, 0, 1);
}

/** Checks a preprocessing spec. */
export function checkPreprocessing(value: PreprocessingSpec, field = 'preprocessing'): PreprocessingSpec {
  const object = requireKnownKeys(field, value, ['kind', 'mean', 'std']);
  const kind = requireOneOf(`${field}.kind`, object.kind, ['imagenet', 'raw255']);
  const triple = (name: 'mean' | 'std', positive: boolean): [number, number, number] => {
    const list = object[name];
    if (!Array.isArray(list) || list.length !== 3 || list.some((v) => typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0))) {
      throw new EffnetConfigError(`${field}.${name}`, `${field}.${name} must be three finite numbers${positive ? ' > 0' : ''}, got ${JSON.stringify(list)}`);
    }
    return [list[0], list[1], list[2]];
  };
  return { kind, mean: triple('mean', false), std: triple('std', true) };
}

// Resolves one classification row of preset-table.ts into a ModelSpec with the generic stage-table
// resolver, applying the caller's overrides; also checks the override object (PresetOverrides).
import { requireKnownKeys } from './config-checks.js';
import type { BatchNormSpec, ModelSpec, PaddingConvention, PreprocessingSpec } from './model-spec.js';
import { BATCH_NORMS, STAGE_TABLES, type ClassifierPresetRow, type PreprocessingName } from './preset-table.js';
import { CENTERED_PREPROCESSING, HALF_PREPROCESSING, IMAGENET_PREPROCESSING } from './preprocessing.js';
import type { ResolutionInput } from './spec-options.js';
import { modelSpecFromStages } from './stage-table.js';

/** What a caller may change on a preset. Detectors take all but `dropout`; `resolution` is one number there. */
export interface PresetOverrides {
  /** Number of classes (0 = features only for classifiers). */
  numClasses?: number;
  /** Input channels. */
  inChannels?: number;
  /** Padding convention. */
  padding?: PaddingConvention;
  /** Dropout before the classifier. */
  dropout?: number;
  /** Stochastic-depth rate p (block i of N gets p·i/N). */
  dropPath?: number;
  /** Image size: one number for train and eval, or both. */
  resolution?: ResolutionInput;
  /** Batch-norm settings. */
  batchNorm?: BatchNormSpec;
}

/** The keys {@link PresetOverrides} allows. */
export const OVERRIDE_KEYS = ['numClasses', 'inChannels', 'padding', 'dropout', 'dropPath', 'resolution', 'batchNorm'];
const PREPROCESSING: Record<PreprocessingName, PreprocessingSpec> = { imagenet: IMAGENET_PREPROCESSING, centered: CENTERED_PREPROCESSING, half: HALF_PREPROCESSING };

/** Resolves a classification row; the detector resolver uses it for backbones. */
export function classifierFromRow(row: ClassifierPresetRow, overrides: PresetOverrides = {}): ModelSpec {
  const given = Object.entries(requireKnownKeys('overrides', overrides, OVERRIDE_KEYS)).filter(([, value]) => value !== undefined);
  const rowDefaults = { stem: row.stem, dropPath: row.dropPath, numClasses: row.numClasses, inChannels: row.inChannels };
  return modelSpecFromStages(STAGE_TABLES[row.stages], {
    ...Object.fromEntries(Object.entries(rowDefaults).filter(([, value]) => value !== undefined)),
    name: row.name,
    family: row.family,
    width: row.width,
    depth: row.depth,
    convention: row.convention,
    head: row.head,
    dropout: row.dropout,
    batchNorm: BATCH_NORMS[row.batchNorm],
    resolution: { train: row.train, eval: row.eval },
    preprocessing: PREPROCESSING[row.preprocessing],
    activation: row.activation ?? 'silu',
    fixFirstLast: row.fixFirstLast ?? false,
    ...Object.fromEntries(given),
  });
}

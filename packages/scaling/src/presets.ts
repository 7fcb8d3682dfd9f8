// preset(name, overrides): resolves one row of preset-table.ts with the one generic resolver
// (modelSpecFromStages for classifiers, detectorFromRow for EfficientDet). No per-name code paths.
import { classifierFromRow, type PresetOverrides } from './classifier-from-row.js';
import { detectorFromRow } from './detector-from-row.js';
import { EffnetConfigError } from './errors.js';
import type { DetectorSpec, ModelSpec } from './model-spec.js';
import { CLASSIFIER_PRESETS, DETECTOR_PRESETS } from './preset-table.js';

/** Names of the classification presets. */
export type ClassifierPresetName =
  | `efficientnet-b${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`
  | 'efficientnet-l2'
  | `efficientnet-lite${0 | 1 | 2 | 3 | 4}`
  | `efficientnetv2-b${0 | 1 | 2 | 3}`
  | `efficientnetv2-${'s' | 'm' | 'l' | 'xl'}`
  | 'efficientnetv2-28'
  | 'efficientnetv2-28-lite';

/** Names of the EfficientDet presets. */
export type DetectorPresetName = `efficientdet-d${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7}` | 'efficientdet-d7x';

/** Every preset name. */
export type PresetName = ClassifierPresetName | DetectorPresetName;

/**
 * Every preset name: `efficientnet-b0…b8`, `efficientnet-l2`, `efficientnetv2-b0…b3`,
 * `efficientnetv2-s/m/l/xl`, `efficientnet-lite0…lite4`, the small `efficientnetv2-28` and
 * `efficientnetv2-28-lite` (28×28 grey images, 10 classes by default), `efficientdet-d0…d7`,
 * `efficientdet-d7x`.
 */
export function presetNames(): PresetName[] {
  return [...CLASSIFIER_PRESETS, ...DETECTOR_PRESETS].map((row) => row.name as PresetName);
}

function unknownPreset(name: unknown): EffnetConfigError {
  const names = presetNames();
  const guess = typeof name === 'string' ? names.find((known) => known.endsWith(`-${name}`) || known.replace('-', '') === name.replace('-', '')) : undefined;
  const hint = guess ? ` (did you mean '${guess}'?)` : '';
  return new EffnetConfigError('preset', `unknown preset '${String(name)}'${hint}; known: ${names.join(', ')}`);
}

/**
 * A fully resolved, JSON-serialisable preset: a {@link ModelSpec} for `efficientnet-*` and
 * `efficientnetv2-*`, a {@link DetectorSpec} for `efficientdet-*`.
 *
 * @param name - A preset name (see {@link presetNames}).
 * @param overrides - Changes to apply: numClasses, inChannels, padding, dropout, dropPath, resolution, batchNorm.
 * @returns A new spec object on every call.
 * @throws EffnetConfigError listing the known names for an unknown preset, or naming the bad override.
 * @example preset('efficientnet-b0').blocks.length // 16
 */
export function preset(name: DetectorPresetName, overrides?: PresetOverrides): DetectorSpec;
export function preset(name: ClassifierPresetName, overrides?: PresetOverrides): ModelSpec;
export function preset(name: string, overrides?: PresetOverrides): ModelSpec | DetectorSpec;
export function preset(name: string, overrides: PresetOverrides = {}): ModelSpec | DetectorSpec {
  const classifier = CLASSIFIER_PRESETS.find((row) => row.name === name);
  if (classifier) return classifierFromRow(classifier, overrides);
  const detector = DETECTOR_PRESETS.find((row) => row.name === name);
  if (detector) return detectorFromRow(detector, overrides);
  throw unknownPreset(name);
}

/**
 * An EfficientDet preset, typed as {@link DetectorSpec} for any string name.
 *
 * @param name - `efficientdet-d0` … `efficientdet-d7`, `efficientdet-d7x`.
 * @param overrides - numClasses, inChannels, padding, dropPath, resolution (one number), batchNorm.
 * @returns The resolved detector.
 * @throws EffnetConfigError when `name` is not a detector preset or an override is invalid.
 */
export function detectorPreset(name: string, overrides: PresetOverrides = {}): DetectorSpec {
  const row = DETECTOR_PRESETS.find((candidate) => candidate.name === name);
  if (!row) {
    const known = DETECTOR_PRESETS.map((candidate) => candidate.name).join(', ');
    throw new EffnetConfigError('preset', `'${String(name)}' is not a detector preset; known: ${known}`);
  }
  return detectorFromRow(row, overrides);
}

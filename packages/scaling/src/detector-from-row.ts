// Resolves one EfficientDet row of preset-table.ts into a DetectorSpec (EfficientDet 2020,
// section 4.2 compound scaling; google/automl hparams_config): the backbone is the V1 preset
// resolved with google/automl's rules ('same' padding, BN eps 1e-3 / TF momentum 0.99) and no
// classifier; P3-P5 are the last blocks at strides 8, 16 and 32.
import { classifierFromRow, OVERRIDE_KEYS, type PresetOverrides } from './classifier-from-row.js';
import { requireInteger, requireKnownKeys } from './config-checks.js';
import { EffnetConfigError } from './errors.js';
import type { DetectorSpec, ModelSpec } from './model-spec.js';
import { BATCH_NORMS, CLASSIFIER_PRESETS, type DetectorPresetRow } from './preset-table.js';
import { checkBatchNorm, checkPadding } from './spec-options.js';

/** COCO as google/automl numbers it (90 ids). */
const COCO_CLASSES = 90;

/**
 * Indices into `backbone.blocks` of the last block whose output stride is 2^level, for each level.
 *
 * @param backbone - A resolved backbone.
 * @param levels - Pyramid levels (3 = stride 8).
 * @returns One block index per level.
 * @throws EffnetConfigError when the backbone has no block at one of those strides.
 */
export function backboneLevelIndices(backbone: ModelSpec, levels: readonly number[]): number[] {
  let stride = backbone.stem.stride;
  const strides = backbone.blocks.map((block) => (stride *= block.stride));
  return levels.map((level) => {
    const index = strides.lastIndexOf(2 ** level);
    if (index < 0) {
      throw new EffnetConfigError('backbone', `backbone '${backbone.name}' has no block at stride ${2 ** level} (level P${level}); its strides are ${[...new Set(strides)].join(', ')}`);
    }
    return index;
  });
}

/** Resolves one detector row with overrides (all of PresetOverrides except dropout). */
export function detectorFromRow(row: DetectorPresetRow, overrides: PresetOverrides = {}): DetectorSpec {
  const given = requireKnownKeys('overrides', overrides, OVERRIDE_KEYS);
  if (given.dropout !== undefined) throw new EffnetConfigError('overrides.dropout', 'a detector has no classifier dropout; leave dropout out');
  const backboneRow = CLASSIFIER_PRESETS.find((candidate) => candidate.name === row.backbone);
  if (!backboneRow) throw new EffnetConfigError('backbone', `detector '${row.name}' names an unknown backbone '${row.backbone}'`);
  const resolution = requireInteger('resolution', overrides.resolution ?? row.resolution);
  const padding = checkPadding(overrides.padding ?? 'same');
  const batchNorm = checkBatchNorm(overrides.batchNorm ?? BATCH_NORMS.tf099);
  const backbone = classifierFromRow(
    { ...backboneRow, convention: 'automl', head: { channels: 1280, scaleWithWidth: true }, batchNorm: 'tf099' },
    { numClasses: 0, padding, batchNorm, resolution, inChannels: overrides.inChannels, dropPath: overrides.dropPath },
  );
  const [p3, p4, p5] = backboneLevelIndices(backbone, [3, 4, 5]) as [number, number, number];
  return {
    name: row.name,
    family: 'efficientdet',
    phi: row.phi,
    backbone,
    backboneLevels: [p3, p4, p5],
    minLevel: 3,
    maxLevel: row.maxLevel,
    resolution,
    numClasses: requireInteger('numClasses', overrides.numClasses ?? COCO_CLASSES, 1),
    bifpn: { channels: row.channels, layers: row.layers, fusion: row.fusion },
    head: { layers: row.headLayers },
    anchors: {
      anchorScale: row.anchorScale,
      scales: [1, 2 ** (1 / 3), 2 ** (2 / 3)],
      aspectRatios: [
        [1.0, 1.0],
        [1.4, 0.7],
        [0.7, 1.4],
      ],
    },
    batchNorm,
    padding,
    activation: 'silu',
  };
}

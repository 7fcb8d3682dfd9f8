// Detector specs beyond the D0-D7 table: EfficientDet's compound scaling (EfficientDet 2020,
// section 4.2) at any φ — BiFPN width 64·1.35^φ rounded to a multiple of 8, BiFPN depth 3 + φ, head
// depth 3 + ⌊φ/3⌋, input 512 + 128·φ — on a base preset's backbone scaled by width and depth
// multipliers, with every number overridable. Small φ (even negative) and narrow backbones give
// detectors that train in minutes on a CPU; the result is plain data, so cost() counts it.
import { backboneLevelIndices, detectorPreset, scale, type DetectorPresetName, type DetectorSpec, type FusionMode } from '@effnet/scaling';
import { EffnetModelError } from '../errors.js';

/** Options of {@link customDetectorSpec}. */
export interface CustomDetectorOptions {
  /** Preset whose backbone, anchors and conventions are kept (default `efficientdet-d0`). */
  base?: DetectorPresetName;
  /** Compound coefficient of the BiFPN, heads and input size (default: the base's). */
  phi?: number;
  /** Width multiplier of the base backbone (default 1). */
  backboneWidth?: number;
  /** Depth multiplier of the base backbone (default 1). */
  backboneDepth?: number;
  /** BiFPN width (default 64·1.35^φ rounded to a multiple of 8). */
  channels?: number;
  /** BiFPN layers (default max(1, 3 + φ)). */
  bifpnLayers?: number;
  /** Class/box net layers (default max(1, 3 + ⌊φ/3⌋)). */
  headLayers?: number;
  /** Highest pyramid level (default the base's, 7). */
  maxLevel?: number;
  /** Input size (default 512 + 128·φ rounded to a multiple of 2^maxLevel). */
  resolution?: number;
  /** Number of object classes (default 90). */
  numClasses?: number;
  /** BiFPN fusion (default the base's). */
  fusion?: FusionMode;
  /** Name of the spec (default `<base>-custom`). */
  name?: string;
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new EffnetModelError(field, `must be a positive integer, got ${value}`);
  return value;
}

/**
 * A detector spec at compound coefficient φ on a scaled backbone.
 *
 * @param options - φ, backbone multipliers and overrides.
 * @returns A resolved DetectorSpec.
 * @throws EffnetModelError for a non-positive size; EffnetConfigError (from @effnet/scaling) for a bad base.
 */
export function customDetectorSpec(options: CustomDetectorOptions = {}): DetectorSpec {
  const base = detectorPreset(options.base ?? 'efficientdet-d0', options.numClasses === undefined ? {} : { numClasses: options.numClasses });
  const phi = options.phi ?? base.phi;
  if (!Number.isFinite(phi)) throw new EffnetModelError('phi', `must be a finite number, got ${phi}`);
  const maxLevel = positiveInteger('maxLevel', options.maxLevel ?? base.maxLevel);
  if (maxLevel < 5) throw new EffnetModelError('maxLevel', `must be at least 5 (the backbone gives P3-P5), got ${maxLevel}`);
  const stride = 2 ** maxLevel;
  const resolution = positiveInteger('resolution', options.resolution ?? Math.max(stride, Math.round((512 + 128 * phi) / stride) * stride));
  const width = options.backboneWidth ?? 1;
  const depth = options.backboneDepth ?? 1;
  const backbone = width === 1 && depth === 1 ? base.backbone : scale(base.backbone, { width, depth, resolution: 1 }, { name: `${base.backbone.name}-w${width}-d${depth}` });
  const [p3, p4, p5] = backboneLevelIndices(backbone, [3, 4, 5]) as [number, number, number];
  return {
    ...base,
    name: options.name ?? `${base.name}-custom`,
    phi,
    backbone: { ...backbone, resolution: { train: resolution, eval: resolution } },
    backboneLevels: [p3, p4, p5],
    maxLevel,
    resolution,
    bifpn: {
      channels: positiveInteger('channels', options.channels ?? Math.max(8, Math.round((64 * 1.35 ** phi) / 8) * 8)),
      layers: positiveInteger('bifpnLayers', options.bifpnLayers ?? Math.max(1, Math.round(3 + phi))),
      fusion: options.fusion ?? base.bifpn.fusion,
    },
    head: { layers: positiveInteger('headLayers', options.headLayers ?? Math.max(1, 3 + Math.floor(phi / 3))) },
  };
}

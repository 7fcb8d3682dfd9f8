// scale(): a new ModelSpec from a base network's unscaled stage table at new multipliers, by
// compound coefficient φ or explicit width/depth/resolution (EfficientNet 2019, section 3.3).
import { compound, type CompoundCoefficients } from './compound.js';
import { requireAtLeast, requireKnownKeys, requirePositive } from './config-checks.js';
import { EffnetConfigError } from './errors.js';
import type { ModelSpec } from './model-spec.js';
import { preset } from './presets.js';
import { modelSpecFromStages } from './stage-table.js';

/** Scale by one compound coefficient. */
export interface PhiScaling {
  /** Compound coefficient φ ≥ 0. */
  phi: number;
  /** α, β, γ (default the paper's 1.2, 1.1, 1.15). */
  coefficients?: Partial<CompoundCoefficients>;
}

/** Scale by explicit multipliers, each > 0 and default 1 (the shape `compound()` returns). */
export interface MultiplierScaling {
  /** Width multiplier. */
  width?: number;
  /** Depth multiplier. */
  depth?: number;
  /** Resolution multiplier (image sizes are rounded to whole pixels). */
  resolution?: number;
}

/** Options of {@link scale}. */
export interface ScaleOptions {
  /** Name of the new spec (default `<base>-phi<φ>` or `<base>-scaled`). */
  name?: string;
}

/**
 * Scales a base network. Multipliers apply on top of the base's own (scaling B0 by width 2 gives
 * width 2; scaling B2 by φ = 1 gives width 1.1 · 1.1), and the stage table is re-resolved with the
 * base's rounding convention, so `scale('efficientnet-b0', { width: 2, depth: 3.1, resolution: 600 / 224 })`
 * has exactly B7's blocks. Classes, dropout, drop path, BN, padding, stem and head rule are kept.
 * `scale(base, compound(φ))` equals `scale(base, { phi: φ })`.
 *
 * @param base - A ModelSpec made by this package (it carries `stages` and `scaling`) or a classification preset name.
 * @param by - `{ phi, coefficients? }` or `{ width?, depth?, resolution? }`.
 * @param options - `name` of the new spec.
 * @returns The new spec.
 * @throws EffnetConfigError when the base has no stage table, or a multiplier or φ is invalid.
 */
export function scale(base: ModelSpec | string, by: PhiScaling | MultiplierScaling, options: ScaleOptions = {}): ModelSpec {
  const spec = typeof base === 'string' ? preset(base) : base;
  if (spec.family === 'efficientdet') throw new EffnetConfigError('base', 'scale() scales classification networks; for a detector pick an efficientdet-d* preset');
  if (!spec.stages || !spec.scaling) {
    throw new EffnetConfigError('base', `spec '${spec.name}' has no stage table (stages, scaling); build it with preset(), customSpec() or modelSpecFromStages()`);
  }
  if (typeof by !== 'object' || by === null) throw new EffnetConfigError('by', 'scale() needs { phi } or { width, depth, resolution }');
  let multipliers: { width: number; depth: number; resolution: number };
  let name: string;
  if ('phi' in by) {
    requireKnownKeys('by', by, ['phi', 'coefficients']);
    multipliers = compound(requireAtLeast('phi', by.phi, 0), by.coefficients);
    name = `${spec.name}-phi${by.phi}`;
  } else {
    const given = requireKnownKeys('by', by, ['width', 'depth', 'resolution']);
    multipliers = {
      width: requirePositive('width', given.width ?? 1),
      depth: requirePositive('depth', given.depth ?? 1),
      resolution: requirePositive('resolution', given.resolution ?? 1),
    };
    name = `${spec.name}-scaled`;
  }
  const pixels = (size: number) => Math.max(1, Math.round(size * multipliers.resolution));
  return modelSpecFromStages(
    spec.stages.map((stage) => stage.args),
    {
      name: options.name ?? name,
      family: spec.family,
      width: spec.width * multipliers.width,
      depth: spec.depth * multipliers.depth,
      convention: spec.scaling.convention,
      stem: { channels: spec.scaling.stemChannels, kernel: spec.stem.kernel, stride: spec.stem.stride, scaleWithWidth: spec.scaling.fixStem !== true },
      head: spec.scaling.head,
      fixFirstLast: spec.scaling.fixFirstLast === true,
      numClasses: spec.numClasses,
      inChannels: spec.inChannels,
      dropout: spec.dropout,
      dropPath: spec.dropPath,
      activation: spec.activation,
      batchNorm: spec.batchNorm,
      padding: spec.padding,
      resolution: { train: pixels(spec.resolution.train), eval: pixels(spec.resolution.eval) },
      preprocessing: spec.preprocessing,
    },
  );
}

// Progressive learning with adaptive regularisation (EfficientNetV2, Algorithm 1): training is cut
// into M stages; stage i of M trains at image size S_i = S0 + (Se − S0)·i/(M−1) with every
// regulariser interpolated the same way, φ_i = φ0 + (φe − φ0)·i/(M−1), for N/M of the steps (or
// epochs). Small images get weak regularisation, large images strong. M = 1 is the fixed-size
// baseline at the final size and final regularisation.
import { EffnetScheduleError } from './errors.js';

/** The settings at one end of a plan. Regularisers left out are 0. */
export interface StageSettings {
  /** Square image size in pixels. */
  imageSize: number;
  /** Dropout before the classifier, in [0, 1). */
  dropout?: number;
  /** Largest stochastic-depth (drop-path) rate, in [0, 1). */
  dropPath?: number;
  /** RandAugment magnitude on the 0-30 scale. */
  randAugmentMagnitude?: number;
  /** Mixup Beta(α, α) parameter; 0 turns Mixup off. */
  mixupAlpha?: number;
  /** CutMix Beta(α, α) parameter; 0 turns CutMix off. */
  cutmixAlpha?: number;
}

/** One row of a plan. `start` and `length` are in the plan's unit (steps or epochs). */
export interface ProgressiveStage {
  /** 0-based stage index. */
  index: number;
  /** First step (or epoch) of the stage. */
  start: number;
  /** Steps (or epochs) in the stage. */
  length: number;
  /** Square image size. */
  imageSize: number;
  /** Dropout. */
  dropout: number;
  /** Largest drop-path rate. */
  dropPath: number;
  /** RandAugment magnitude (0-30). */
  randAugmentMagnitude: number;
  /** Mixup alpha. */
  mixupAlpha: number;
  /** CutMix alpha. */
  cutmixAlpha: number;
}

/** A whole plan: its unit, its length and its stages in order. */
export interface ProgressivePlan {
  /** Whether `start`/`length` count optimiser steps or epochs. */
  unit: 'step' | 'epoch';
  /** Total steps (or epochs); the stages' lengths add up to it. */
  total: number;
  /** The stages, covering 0 … total − 1 without gaps. */
  stages: ProgressiveStage[];
}

/** Options of {@link progressiveStages}: `totalSteps` or `totalEpochs`, not both. */
export interface ProgressiveOptions {
  /** Number of stages M ≥ 1. */
  stages: number;
  /** Total optimiser steps N. */
  totalSteps?: number;
  /** Total epochs (instead of steps). */
  totalEpochs?: number;
  /** Settings of the first stage (S0, Φ0). */
  from: StageSettings;
  /** Settings of the last stage (Se, Φe). */
  to: StageSettings;
  /** Intermediate image sizes are rounded to the nearest multiple of this (default 8). */
  sizeMultiple?: number;
}

const REGULARISERS = ['dropout', 'dropPath', 'randAugmentMagnitude', 'mixupAlpha', 'cutmixAlpha'] as const;
const LIMITS: Record<(typeof REGULARISERS)[number], number> = {
  dropout: 1,
  dropPath: 1,
  randAugmentMagnitude: 30,
  mixupAlpha: Number.POSITIVE_INFINITY,
  cutmixAlpha: Number.POSITIVE_INFINITY,
};

function requireInteger(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new EffnetScheduleError(field, `must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function checkEnds(from: StageSettings, to: StageSettings): void {
  for (const [end, settings] of [['from', from], ['to', to]] as const) {
    if (typeof settings !== 'object' || settings === null) throw new EffnetScheduleError(end, 'must be an object of stage settings');
    requireInteger(`${end}.imageSize`, settings.imageSize, 1);
    for (const key of REGULARISERS) {
      const value = settings[key] ?? 0;
      if (!Number.isFinite(value) || value < 0 || (LIMITS[key] === 1 ? value >= 1 : value > LIMITS[key])) {
        const range = LIMITS[key] === 1 ? '[0, 1)' : LIMITS[key] === 30 ? '[0, 30]' : 'a finite number ≥ 0';
        throw new EffnetScheduleError(`${end}.${key}`, `must be in ${range}, got ${String(value)}`);
      }
    }
  }
  if (from.imageSize > to.imageSize) {
    throw new EffnetScheduleError('from.imageSize', `${from.imageSize} is larger than to.imageSize ${to.imageSize}: progressive learning grows the image size`);
  }
  for (const key of REGULARISERS) {
    if ((from[key] ?? 0) > (to[key] ?? 0)) {
      throw new EffnetScheduleError(`from.${key}`, `${from[key]} is larger than to.${key} ${to[key] ?? 0}: adaptive regularisation grows with the image size`);
    }
  }
}

/**
 * The stages of Algorithm 1. Sizes: the first and last stage use `from.imageSize` and
 * `to.imageSize` exactly; the stages between are rounded to the nearest multiple of
 * `sizeMultiple` (kept within the two ends). Regularisers are interpolated without rounding.
 * Lengths: `total` split as evenly as possible, the first `total mod M` stages one longer.
 */
export function progressiveStages(options: ProgressiveOptions): ProgressivePlan {
  const { from, to, sizeMultiple = 8 } = options;
  const m = requireInteger('stages', options.stages, 1);
  if ((options.totalSteps === undefined) === (options.totalEpochs === undefined)) {
    throw new EffnetScheduleError('totalSteps', 'give exactly one of totalSteps and totalEpochs');
  }
  const unit = options.totalSteps !== undefined ? 'step' : 'epoch';
  const total = requireInteger(unit === 'step' ? 'totalSteps' : 'totalEpochs', options.totalSteps ?? options.totalEpochs, m);
  requireInteger('sizeMultiple', sizeMultiple, 1);
  checkEnds(from, to);
  const stages: ProgressiveStage[] = [];
  let start = 0;
  for (let i = 0; i < m; i++) {
    const t = m === 1 ? 1 : i / (m - 1);
    const lerp = (a = 0, b = 0) => a + (b - a) * t;
    const exact = lerp(from.imageSize, to.imageSize);
    const imageSize = i === 0 && m > 1 ? from.imageSize : i === m - 1 ? to.imageSize
      : Math.min(to.imageSize, Math.max(from.imageSize, Math.round(exact / sizeMultiple) * sizeMultiple));
    const length = Math.floor(total / m) + (i < total % m ? 1 : 0);
    stages.push({
      index: i,
      start,
      length,
      imageSize,
      dropout: lerp(from.dropout, to.dropout),
      dropPath: lerp(from.dropPath, to.dropPath),
      randAugmentMagnitude: lerp(from.randAugmentMagnitude, to.randAugmentMagnitude),
      mixupAlpha: lerp(from.mixupAlpha, to.mixupAlpha),
      cutmixAlpha: lerp(from.cutmixAlpha, to.cutmixAlpha),
    });
    start += length;
  }
  return { unit, total, stages };
}

/** The stage in force at `position` (a step or an epoch, in the plan's unit). */
export function stageAt(plan: ProgressivePlan, position: number): ProgressiveStage {
  if (!Number.isFinite(position) || position < 0) throw new EffnetScheduleError('position', `must be ≥ 0, got ${position}`);
  return plan.stages.find((stage) => position < stage.start + stage.length) ?? plan.stages.at(-1)!;
}

/** A stage with its bounds in optimiser steps, as `@effnet/train`'s Trainer takes them. */
export type StepStage = Omit<ProgressiveStage, 'start' | 'length'> & {
  /** First optimiser step of the stage. */
  startStep: number;
  /** Optimiser steps in the stage. */
  steps: number;
};

/** The plan in optimiser steps; an epoch plan needs `stepsPerEpoch`. */
export function toStepStages(plan: ProgressivePlan, stepsPerEpoch = 1): StepStage[] {
  if (plan.unit === 'epoch') requireInteger('stepsPerEpoch', stepsPerEpoch, 1);
  const scale = plan.unit === 'epoch' ? stepsPerEpoch : 1;
  return plan.stages.map(({ start, length, ...rest }) => ({ ...rest, startStep: start * scale, steps: length * scale }));
}

// The progressive plan of a training run (EfficientNetV2, Algorithm 1), shared by `effnet train`
// and `effnet plan` so the two always agree: `stages` stages over the run's steps, the image size
// and every regulariser (dropout, drop path, RandAugment magnitude, Mixup α, CutMix α)
// interpolated from the first stage to the last. Defaults: the paper's ImageNet plan where the
// preset has one (efficientnetv2-s/-m/-l; its first size scaled with the last), otherwise half the
// last size, dropout 0.05 → 0.2, the preset's drop path, and no RandAugment, Mixup or CutMix.
// Flags override any end. Sizes between the ends are rounded to multiples of 8 from 64 px up and
// of 2 below.
import type { ModelSpec } from '@effnet/scaling';
import { PAPER_PLANS, progressiveStages, toStepStages, type ProgressivePlan, type StageSettings } from '@effnet/schedules';
import type { TrainStage } from '@effnet/train';
import { EffnetOptionError } from '../option-error.js';

/** A regulariser's first- and last-stage values. */
export type Range = [from: number, to: number];

/** The plan flags `effnet train` and `effnet plan` share. */
export interface PlanFlags {
  /** Progressive stages (1 = fixed size at the last stage's settings). */
  stages: number;
  /** First-stage image size (default: the last size halved, at least 8). */
  fromSize?: number;
  /** Last-stage image size (default: the preset's train size). */
  toSize?: number;
  /** Dropout of the first and last stage (default: the preset's paper plan, else 0.05 → 0.2). */
  dropout?: Range;
  /** Largest drop-path rate of the first and last stage (default: the preset's). */
  dropPath?: Range;
  /** RandAugment magnitude (0-30) of the first and last stage (default: the paper plan's, else off). */
  randAugment?: Range;
  /** Mixup α of the first and last stage (default: the paper plan's, else off). */
  mixup?: Range;
  /** CutMix α of the first and last stage (default off). */
  cutmix?: Range;
}

/** Dropout of presets without a paper plan. */
export const DEFAULT_DROPOUT: Range = [0.05, 0.2];

/** Multiple the sizes between the ends are rounded to. */
export function sizeMultiple(toSize: number): number {
  return toSize >= 64 ? 8 : 2;
}

/** The two ends of the plan of `spec` trained at `finalSize` (see the file comment). */
export function planEnds(spec: ModelSpec, flags: PlanFlags, finalSize: number): { from: StageSettings; to: StageSettings } {
  const paper = PAPER_PLANS[spec.name as keyof typeof PAPER_PLANS];
  const toSize = flags.toSize ?? finalSize;
  const ratio = paper ? paper.from.imageSize / paper.to.imageSize : 0.5;
  const m = sizeMultiple(toSize);
  const fromSize = flags.stages === 1 ? toSize : (flags.fromSize ?? Math.min(toSize, Math.max(8, Math.round((toSize * ratio) / m) * m)));
  const pick = (flag: Range | undefined, key: keyof Omit<StageSettings, 'imageSize'>, fallback: Range): Range =>
    flag ?? (paper ? [paper.from[key] ?? 0, paper.to[key] ?? 0] : fallback);
  const dropout = pick(flags.dropout, 'dropout', DEFAULT_DROPOUT);
  const dropPath = flags.dropPath ?? [spec.dropPath, spec.dropPath];
  const randAugment = pick(flags.randAugment, 'randAugmentMagnitude', [0, 0]);
  const mixup = pick(flags.mixup, 'mixupAlpha', [0, 0]);
  const cutmix = pick(flags.cutmix, 'cutmixAlpha', [0, 0]);
  const end = (i: 0 | 1, imageSize: number): StageSettings => ({
    imageSize, dropout: dropout[i], dropPath: dropPath[i], randAugmentMagnitude: randAugment[i], mixupAlpha: mixup[i], cutmixAlpha: cutmix[i],
  });
  return { from: end(flags.stages === 1 ? 1 : 0, fromSize), to: end(1, toSize) };
}

/** The plan in the unit asked for (`totalSteps` or `totalEpochs`). */
export function presetPlan(spec: ModelSpec, flags: PlanFlags, finalSize: number, total: { totalSteps: number } | { totalEpochs: number }): ProgressivePlan {
  const ends = planEnds(spec, flags, finalSize);
  return progressiveStages({ stages: flags.stages, ...total, ...ends, sizeMultiple: sizeMultiple(ends.to.imageSize) });
}

/** The plan of a training run, in optimiser steps. */
export function runPlan(spec: ModelSpec, flags: PlanFlags, totalSteps: number, finalSize: number): TrainStage[] {
  return toStepStages(presetPlan(spec, flags, finalSize, { totalSteps }));
}

/** Parses `A:B` (or `A`, the same at both ends) with each value checked by `check`. */
function rangeParser(flag: string, what: string, check: (n: number) => boolean) {
  return (value: string): Range => {
    const parts = value.split(':');
    const numbers = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
    if (parts.length > 2 || numbers.some((n) => !check(n))) {
      throw new EffnetOptionError(flag, `expected ${what}, as FROM:TO (first and last stage) or one value for all stages, got '${value}'`);
    }
    const range: Range = [numbers[0]!, numbers.at(-1)!];
    if (range[0] > range[1]) throw new EffnetOptionError(flag, `${range[0]} is larger than ${range[1]}: adaptive regularisation grows from the first stage to the last; swap them`);
    return range;
  };
}

/** `--dropout` and `--drop-path`: rates in [0, 1). */
export const parseDropout = rangeParser('--dropout', 'rates in [0, 1) such as 0.05:0.2', (n) => n >= 0 && n < 1);
/** `--drop-path`: rates in [0, 1). */
export const parseDropPath = rangeParser('--drop-path', 'rates in [0, 1) such as 0:0.2', (n) => n >= 0 && n < 1);
/** `--randaugment`: magnitudes on the 0-30 scale. */
export const parseRandAugment = rangeParser('--randaugment', 'magnitudes in [0, 30] such as 5:15 (0 turns RandAugment off)', (n) => n >= 0 && n <= 30);
/** `--mixup`: Beta(α, α) parameters. */
export const parseMixup = rangeParser('--mixup', 'α values in [0, 100] such as 0:0.2 (0 turns Mixup off)', (n) => n >= 0 && n <= 100);
/** `--cutmix`: Beta(α, α) parameters. */
export const parseCutmix = rangeParser('--cutmix', 'α values in [0, 100] such as 0:1 (0 turns CutMix off)', (n) => n >= 0 && n <= 100);

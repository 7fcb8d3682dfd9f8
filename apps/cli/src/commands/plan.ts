// `effnet plan <preset>`: the progressive-learning plan a training run of the preset uses. The
// EfficientNetV2-S/M/L presets take the paper's ImageNet plans; any other preset grows from half
// its train size (rounded to 8) to its train size, with dropout and RandAugment magnitude growing
// from a third of their final values (the paper's V2-S ratio: 0.1 → 0.3, 5 → 15).
import { Command } from 'commander';
import { EffnetConfigError, preset } from '@effnet/scaling';
import { formatPlanTable, PAPER_PLANS, progressiveStages, type ProgressivePlan, type StageSettings } from '@effnet/schedules';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson } from '../output.js';

/** Options of {@link planFor}. */
export interface PlanOptions {
  /** Number of stages. */
  stages: number;
  /** Total epochs (default 350 as the paper). */
  epochs?: number;
  /** Total optimiser steps, instead of epochs. */
  steps?: number;
  /** First-stage image size (overrides the default). */
  fromSize?: number;
  /** Last-stage image size (overrides the default). */
  toSize?: number;
}

/** The plan of a preset (see the file comment for the defaults). */
export function planFor(name: string, options: PlanOptions): ProgressivePlan {
  const spec = preset(name);
  if (spec.family === 'efficientdet') throw new EffnetConfigError('preset', `'${name}' is a detector; progressive plans are for classifiers`);
  const paper = PAPER_PLANS[name as keyof typeof PAPER_PLANS];
  const final = spec.resolution.train;
  const ends: { from: StageSettings; to: StageSettings } = paper ?? {
    from: { imageSize: Math.max(8, Math.round(final / 2 / 8) * 8), dropout: spec.dropout / 3, randAugmentMagnitude: 5, dropPath: spec.dropPath },
    to: { imageSize: final, dropout: spec.dropout, randAugmentMagnitude: 15, dropPath: spec.dropPath },
  };
  const from = { ...ends.from, ...(options.fromSize ? { imageSize: options.fromSize } : {}) };
  const to = { ...ends.to, ...(options.toSize ? { imageSize: options.toSize } : {}) };
  const total = options.steps ? { totalSteps: options.steps } : { totalEpochs: options.epochs ?? 350 };
  return progressiveStages({ stages: options.stages, ...total, from, to });
}

/** Builds the `plan` command. */
export function planCommand(io: Io): Command {
  return new Command('plan')
    .description('print the progressive-learning plan (image size and regularisation per stage) a training run of a preset uses')
    .argument('<preset>', 'a classifier preset, e.g. efficientnetv2-s')
    .option('--stages <n>', 'number of stages (1 = fixed size)', positiveInteger, 4)
    .option('--epochs <n>', 'total epochs', positiveInteger)
    .option('--steps <n>', 'total optimiser steps instead of epochs', positiveInteger)
    .option('--from-size <pixels>', 'first-stage image size', positiveInteger)
    .option('--to-size <pixels>', 'last-stage image size', positiveInteger)
    .option('--json', 'print JSON instead of a table')
    .action((name: string, options: PlanOptions & { json?: boolean }) => {
      const plan = planFor(name, options);
      if (options.json) return printJson(plan, io.out);
      io.out(`${name}: ${plan.stages.length}-stage plan over ${plan.total} ${plan.unit}s\n${formatPlanTable(plan)}\n`);
    });
}

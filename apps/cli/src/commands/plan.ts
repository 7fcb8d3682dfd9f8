// `effnet plan <preset>`: the progressive-learning plan (EfficientNetV2, Algorithm 1) a training
// run of the preset uses: the same function `effnet train` builds its plan with (run/run-plan.ts),
// so the table is what training applies. The EfficientNetV2-S/M/L presets take the paper's
// ImageNet plans; the regularisation flags are those of `effnet train`.
import { Command } from 'commander';
import { EffnetConfigError, preset } from '@effnet/scaling';
import { formatPlanTable, type ProgressivePlan } from '@effnet/schedules';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson } from '../output.js';
import { parseCutmix, parseDropPath, parseDropout, parseMixup, parseRandAugment, presetPlan, type PlanFlags } from '../run/run-plan.js';

/** Options of {@link planFor}. */
export interface PlanOptions extends PlanFlags {
  /** Total epochs (default 350 as the paper). */
  epochs?: number;
  /** Total optimiser steps, instead of epochs. */
  steps?: number;
}

/** The plan of a preset at its train size (or `toSize`), as `effnet train` would run it. */
export function planFor(name: string, options: PlanOptions): ProgressivePlan {
  const spec = preset(name);
  if (spec.family === 'efficientdet') throw new EffnetConfigError('preset', `'${name}' is a detector; progressive plans are for classifiers`);
  const total = options.steps ? { totalSteps: options.steps } : { totalEpochs: options.epochs ?? 350 };
  return presetPlan(spec, options, spec.resolution.train, total);
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
    .option('--to-size <pixels>', 'last-stage image size (default: the preset\'s train size)', positiveInteger)
    .option('--dropout <from:to>', 'dropout of the first and last stage', parseDropout)
    .option('--drop-path <from:to>', 'largest drop-path rate of the first and last stage', parseDropPath)
    .option('--randaugment <from:to>', 'RandAugment magnitude (0-30) of the first and last stage', parseRandAugment)
    .option('--mixup <from:to>', 'Mixup α of the first and last stage', parseMixup)
    .option('--cutmix <from:to>', 'CutMix α of the first and last stage', parseCutmix)
    .option('--json', 'print JSON instead of a table')
    .action((name: string, options: PlanOptions & { json?: boolean; randaugment?: PlanFlags['randAugment'] }) => {
      const plan = planFor(name, { ...options, randAugment: options.randaugment });
      if (options.json) return printJson(plan, io.out);
      io.out(`${name}: ${plan.stages.length}-stage plan over ${plan.total} ${plan.unit}s\n${formatPlanTable(plan)}\n`);
    });
}

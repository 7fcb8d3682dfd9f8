// `effnet train`: one training run with progressive learning into a run folder (model,
// checkpoints, metrics.jsonl, report.html, summary.json), with a progress bar; Ctrl-C stops after
// the current step with a checkpoint, and `--resume` continues from it.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson } from '../output.js';
import { FREEZE_MODES, type FreezeMode } from '@effnet/train';
import { EffnetOptionError } from '../option-error.js';
import { parseCutmix, parseDropPath, parseDropout, parseMixup, parseRandAugment, type Range } from '../run/run-plan.js';
import { silentProgress, terminalProgress, type Progress } from '../run/progress.js';
import { workerCount } from '../run/replica-pool.js';
import { TRAIN_DEFAULTS, trainRun, type TrainRunOptions, type TrainRunSummary } from '../run/training-run.js';
import '../register-backends.js';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a positive number, got '${value}'.`);
  return n;
}

/** Largest image size accepted (EfficientNet-L2 evaluates at 800 px); far larger sizes only exhaust memory. */
const MAX_IMAGE_SIZE = 1024;

function imageSize(value: string): number {
  const n = positiveInteger(value);
  if (n > MAX_IMAGE_SIZE) throw new InvalidArgumentError(`expected at most ${MAX_IMAGE_SIZE} pixels, got '${value}'.`);
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a number in [0, 1), got '${value}'.`);
  return n;
}

function nonNegativeInteger(value: string): number {
  return value.trim() === '0' ? 0 : positiveInteger(value);
}

function freezeMode(value: string): FreezeMode {
  if (!(FREEZE_MODES as readonly string[]).includes(value)) throw new EffnetOptionError('--freeze', `expected one of ${FREEZE_MODES.join(', ')}, got '${value}'`);
  return value as FreezeMode;
}

function headLr(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0) || !Number.isFinite(n) || n > 100) throw new EffnetOptionError('--head-lr', `expected a learning rate in [0, 100], got '${value}'`);
  return n;
}

function classCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 2 || n > 100_000) throw new EffnetOptionError('--num-classes', `expected an integer from 2 to 100000, got '${value}'`);
  return n;
}

function randAugmentOps(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 14) throw new EffnetOptionError('--randaugment-ops', `expected an integer from 0 to 14 (operations per image), got '${value}'`);
  return n;
}

/** `--classes 0-4`, `--classes 5,7,9` or `--classes Sandal,Bag`: class indices (ranges allowed) or names, in order. */
export function classList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new EffnetOptionError('--classes', `expected class indices, ranges (0-4) or names separated by commas, got '${value}'`);
  return items.flatMap((item) => {
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (!range) return [item];
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from > to || to - from > 100_000) throw new EffnetOptionError('--classes', `range '${item}' must go up, as 0-4`);
    return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
  });
}

/** The one-paragraph summary printed at the end of a run. */
export function formatSummary(summary: TrainRunSummary): string {
  const lines = [`run folder: ${summary.out}  (report: ${summary.out}/report.html)`];
  if (summary.evaluation) {
    const e = summary.evaluation;
    lines.push(`test accuracy (held-out ${summary.data.replace('/train', '/test')}, EMA weights): top-1 ${(e.top1 * 100).toFixed(2)} %, top-5 ${(e.top5 * 100).toFixed(2)} % on ${e.count} images`);
  }
  lines.push(`steps ${summary.steps}/${summary.totalSteps}, training ${summary.trainSeconds.toFixed(1)} s, whole run ${summary.totalSeconds.toFixed(1)} s, backend ${summary.backend}`);
  lines.push(`peak RSS ${summary.peakRssMiB} MiB; tensors after the first step ${summary.tensorsAfterFirstStep}, after the last ${summary.tensorsAfterLastStep}: ${summary.tensorsLeakedPerStep} leaked per step`);
  return `${lines.join('\n')}\n`;
}

/** Builds the `train` command. */
export function trainCommand(io: Io, progress?: Progress): Command {
  const d = TRAIN_DEFAULTS;
  return new Command('train')
    .description('train a classifier with progressive learning; writes model, checkpoints, metrics.jsonl and report.html to --out')
    .option('--preset <name>', 'preset to train (default efficientnetv2-28, which suits 28×28 images; with --init <folder>, the folder\'s)')
    .option('--spec <file.json>', 'train this ModelSpec instead of --preset (e.g. the best.json of effnet search)')
    .option('--data <name|folder>', 'fashion-mnist, mnist, fashion-mnist-64 (enlarged on a 64 px canvas), or a folder with train/ and test/ image folders', 'fashion-mnist')
    .requiredOption('--out <folder>', 'run folder')
    .option('--backend <name>', 'backend (see effnet backends), or auto', d.backend)
    .option('--seed <n>', 'seed of weights, data order and augmentation', nonNegativeInteger, d.seed)
    .option('--epochs <n>', 'epochs over the training set (fractions allowed)', positiveNumber, d.epochs)
    .option('--batch <n>', 'images per step', positiveInteger, d.batchSize)
    .option('--stages <n>', 'progressive stages (1 = fixed size)', positiveInteger, d.stages)
    .option('--from-size <pixels>', 'first-stage image size', imageSize)
    .option('--to-size <pixels>', 'last-stage image size', imageSize)
    .option('--dropout <from:to>', 'dropout of the first and last stage (default: the paper plan\'s, else 0.05:0.2)', parseDropout)
    .option('--drop-path <from:to>', 'largest drop-path rate of the first and last stage (default: the preset\'s)', parseDropPath)
    .option('--randaugment <from:to>', 'RandAugment magnitude 0-30 of the first and last stage (default: the paper plan\'s, else 0 = off)', parseRandAugment)
    .option('--randaugment-ops <n>', 'RandAugment operations per image', randAugmentOps, d.randAugmentOps)
    .option('--mixup <from:to>', 'Mixup α of the first and last stage (default: the paper plan\'s, else 0 = off)', parseMixup)
    .option('--cutmix <from:to>', 'CutMix α of the first and last stage (default 0 = off)', parseCutmix)
    .option('--init <model>', 'fine-tune: start from a model folder (effnet train/import) or a torchvision/timm .safetensors of --preset')
    .option('--num-classes <n>', 'classes of the new classifier (must match the data; the imported one is replaced)', classCount)
    .option('--freeze <mode>', `fine-tune: freeze nothing, batch norm, or all but the classifier (${FREEZE_MODES.join('|')})`, freezeMode, d.freeze)
    .option('--head-lr <rate>', 'fine-tune: peak learning rate of the classifier (default: --lr)', headLr)
    .option('--classes <list>', 'train and test on these classes only, by index, range or name (0-4, or Sandal,Bag), relabelled in order', classList)
    .addOption(new Option('--optimizer <name>', 'optimiser').choices(['sgd', 'rmsprop', 'adamw']).default(d.optimizer))
    .option('--lr <rate>', 'peak learning rate (warm-up, then cosine)', positiveNumber, d.lr)
    .option('--warmup <steps>', 'warm-up steps', nonNegativeInteger, d.warmupSteps)
    .option('--weight-decay <rate>', 'weight decay', fraction, d.weightDecay)
    .option('--label-smoothing <eps>', 'label smoothing', fraction, d.labelSmoothing)
    .option('--ema <decay>', 'EMA decay of the weights', fraction, d.emaDecay)
    .option('--checkpoint-every <steps>', 'checkpoint interval', positiveInteger, d.checkpointEvery)
    .option('--keep <n>', 'checkpoints kept', positiveInteger, d.keep)
    .option('--limit-per-class <n>', 'use at most N images per class (quick runs)', positiveInteger)
    .option('--stage-eval <n>', 'test images evaluated at each stage end (0 = none)', nonNegativeInteger, d.stageEvalImages)
    .option('--samples <n>', 'test images shown with predictions in the report', nonNegativeInteger, d.reportSamples)
    .option('--workers <n>', 'data-parallel replicas: the main thread and n - 1 worker threads, each with its own wasm/cpu backend; batch norm per replica (default: the cores available, at most 8, on wasm and cpu; else 1)', workerCount)
    .option('--resume', 'continue from the newest checkpoint in --out (with the run\'s settings)')
    .option('--overwrite', 'replace the run already in --out')
    .option('--json', 'print the summary as JSON')
    .action(async (o: Record<string, unknown>) => {
      const options: TrainRunOptions = {
        ...d, preset: o['preset'] as string | undefined, spec: o['spec'] as string | undefined, data: o['data'] as string, out: o['out'] as string, backend: o['backend'] as string,
        seed: o['seed'] as number, epochs: o['epochs'] as number, batchSize: o['batch'] as number, stages: o['stages'] as number,
        fromSize: o['fromSize'] as number | undefined, toSize: o['toSize'] as number | undefined, dropout: o['dropout'] as Range | undefined,
        dropPath: o['dropPath'] as Range | undefined, randAugment: o['randaugment'] as Range | undefined, randAugmentOps: o['randaugmentOps'] as number,
        mixup: o['mixup'] as Range | undefined, cutmix: o['cutmix'] as Range | undefined, init: o['init'] as string | undefined,
        numClasses: o['numClasses'] as number | undefined, freeze: o['freeze'] as FreezeMode, headLr: o['headLr'] as number | undefined,
        classes: o['classes'] as string[] | undefined,
        optimizer: o['optimizer'] as TrainRunOptions['optimizer'], lr: o['lr'] as number, warmupSteps: o['warmup'] as number,
        weightDecay: o['weightDecay'] as number, labelSmoothing: o['labelSmoothing'] as number, emaDecay: o['ema'] as number,
        checkpointEvery: o['checkpointEvery'] as number, keep: o['keep'] as number, limitPerClass: o['limitPerClass'] as number | undefined,
        stageEvalImages: o['stageEval'] as number, reportSamples: o['samples'] as number, resume: Boolean(o['resume']), overwrite: Boolean(o['overwrite']),
        ...(o['workers'] !== undefined ? { workers: o['workers'] as number } : {}),
      };
      const json = Boolean(o['json']);
      const summary = await trainRun(options, (line) => (json ? io.err : io.out)(`${line}\n`), progress ?? (json ? silentProgress : terminalProgress()));
      if (json) printJson(summary, io.out);
      else io.out(formatSummary(summary));
      // 130 = ended by SIGINT, as shells report it; the checkpoint is written by then.
      if (summary.stopped) throw new CommanderError(130, 'effnet.stopped', 'training stopped by Ctrl-C');
    });
}

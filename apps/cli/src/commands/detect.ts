// `effnet detect train|eval|predict`: EfficientDet on COCO-format folders (instances*.json and its
// images). `train` runs the Trainer with checkpoints and `--resume` into a run folder with a report;
// `eval` scores a saved detector (or a COCO results file) on a folder with pycocotools' twelve
// numbers; `predict` draws a saved detector's boxes into image files.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '@effnet/backends';
import { EffnetModelError, evaluateCocoDetections, type CocoEvaluation, type CustomDetectorOptions } from '@effnet/models';
import { cocoFolder, cocoResultsJson, readCocoAnnotations, readCocoResults, findInstancesFile } from '@effnet/data';
import writeFileAtomic from 'write-file-atomic';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson, renderTable } from '../output.js';
import { renderDetectionReport } from '../report/detection-report.js';
import { classCategories, drawnImages, evaluateDetector } from '../run/detection-eval.js';
import { DETECT_TRAIN_DEFAULTS, detectTrainRun, type DetectTrainOptions } from '../run/detection-run.js';
import { detectFiles } from '../run/detection-predict.js';
import { loadDetector } from '../run/detector-folder.js';
import { silentProgress, terminalProgress, type Progress } from '../run/progress.js';
import '../register-backends.js';

function fraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a number in [0, 1), got '${value}'.`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a positive number, got '${value}'.`);
  return n;
}

function detectorJson(value: string): CustomDetectorOptions {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as CustomDetectorOptions;
  } catch (error) {
    throw new InvalidArgumentError(`expected a JSON object of customDetectorSpec options such as '{"channels": 32}', got '${value}' (${(error as Error).message}).`);
  }
}

/** A COCO number for people: pycocotools' −1 (nothing to measure) as n/a. */
const shown = (v: number): string => (v < 0 ? 'n/a' : v.toFixed(3));

const nmsOption = (): Option => new Option('--nms <kind>', 'hard NMS (IoU 0.5) or Gaussian soft-NMS').choices(['hard', 'gaussian']).default('hard');

/** The twelve numbers as a two-column table. */
export function formatMetrics(evaluation: CocoEvaluation): string {
  const s = evaluation.summary;
  const label = ['AP @[.50:.95]', 'AP @.50', 'AP @.75', 'AP small', 'AP medium', 'AP large', 'AR 1', 'AR 10', 'AR 100', 'AR small', 'AR medium', 'AR large'];
  const values = [s.ap, s.ap50, s.ap75, s.apSmall, s.apMedium, s.apLarge, s.ar1, s.ar10, s.ar100, s.arSmall, s.arMedium, s.arLarge];
  return `${renderTable(['metric', 'value'], label.map((l, i) => [l, shown(values[i]!)]), ['left', 'right'])}\n`;
}

function trainSubcommand(io: Io, progress?: Progress): Command {
  const d = DETECT_TRAIN_DEFAULTS;
  return new Command('train')
    .description('train an EfficientDet on a COCO-format folder; writes model/, checkpoints/, metrics.jsonl, results.json, report.html and summary.json to --out')
    .requiredOption('--data <folder>', 'COCO-format training folder (instances*.json and its images)')
    .requiredOption('--val <folder>', 'COCO-format validation folder with the same categories')
    .requiredOption('--out <folder>', 'run folder')
    .option('--size <pixels>', 'square input size (a multiple of 32 for the default detector)', positiveInteger, d.size)
    .option('--steps <n>', 'optimiser steps', positiveInteger, d.steps)
    .option('--batch <n>', 'images per step', positiveInteger, d.batchSize)
    .option('--lr <rate>', 'peak learning rate (warm-up, then cosine)', positiveNumber, d.lr)
    .option('--warmup <steps>', 'warm-up steps', (v) => (v.trim() === '0' ? 0 : positiveInteger(v)), d.warmupSteps)
    .option('--ema <decay>', 'EMA decay of the weights, evaluated at the end (0 = none)', fraction, d.ema)
    .option('--checkpoint-every <steps>', 'checkpoint interval', positiveInteger, d.checkpointEvery)
    .option('--keep <n>', 'checkpoints kept', positiveInteger, d.keep)
    .option('--detector <json>', 'customDetectorSpec options, e.g. \'{"channels": 64, "bifpnLayers": 2}\'', detectorJson, d.detector)
    .addOption(nmsOption())
    .option('--report-images <n>', 'validation images drawn in the report', (v) => (v.trim() === '0' ? 0 : positiveInteger(v)), d.reportImages)
    .option('--seed <n>', 'seed of weights and batch order', (v) => (v.trim() === '0' ? 0 : positiveInteger(v)), d.seed)
    .option('--backend <name>', 'backend (see effnet backends), or auto', d.backend)
    .option('--resume', 'continue from the newest checkpoint in --out')
    .option('--json', 'print the summary as JSON')
    .action(async (o: Record<string, unknown>) => {
      const options: DetectTrainOptions = {
        ...d, data: o['data'] as string, val: o['val'] as string, out: o['out'] as string, size: o['size'] as number, steps: o['steps'] as number, batchSize: o['batch'] as number,
        lr: o['lr'] as number, warmupSteps: o['warmup'] as number, ema: o['ema'] as number, checkpointEvery: o['checkpointEvery'] as number, keep: o['keep'] as number,
        detector: o['detector'] as CustomDetectorOptions, nms: o['nms'] as 'hard' | 'gaussian', reportImages: o['reportImages'] as number, seed: o['seed'] as number,
        backend: o['backend'] as string, resume: Boolean(o['resume']),
      };
      const json = Boolean(o['json']);
      const summary = await detectTrainRun(options, (line) => (json ? io.err : io.out)(`${line}\n`), progress ?? (json ? silentProgress : terminalProgress()));
      if (json) printJson(summary, io.out);
      else if (summary.metrics) io.out(`run folder: ${summary.out}  (report: ${join(summary.out, 'report.html')})\n${summary.steps} steps in ${summary.trainSeconds.toFixed(1)} s; validation AP ${shown(summary.metrics.ap)}, AP50 ${shown(summary.metrics.ap50)}, AR100 ${shown(summary.metrics.ar100)}\n`);
      if (summary.stopped) throw new CommanderError(130, 'effnet.stopped', 'training stopped by Ctrl-C');
    });
}

function evalSubcommand(io: Io, progress?: Progress): Command {
  return new Command('eval')
    .description('COCO box metrics (pycocotools’ twelve numbers) of a saved detector, or of a COCO results file, on a COCO-format folder')
    .requiredOption('--data <folder>', 'COCO-format folder with ground truth')
    .option('--model <folder>', 'saved detector (detector.json + weights.safetensors)')
    .option('--results <file>', 'evaluate this COCO results JSON instead of running a detector')
    .option('--out <folder>', 'also write results.json and report.html here')
    .addOption(nmsOption())
    .option('--sigma <s>', 'soft-NMS σ of exp(−IoU²/σ)', positiveNumber, 0.5)
    .option('--min-score <p>', 'lowest detection score kept', fraction, 0.001)
    .option('--batch <n>', 'images per forward pass', positiveInteger, 8)
    .option('--report-images <n>', 'images drawn in the report', positiveInteger, 12)
    .option('--backend <name>', 'backend (see effnet backends), or auto', 'auto')
    .option('--json', 'print the twelve numbers and per-category AP as JSON')
    .action(async (o: { data: string; model?: string; results?: string; out?: string; nms: 'hard' | 'gaussian'; sigma: number; minScore: number; batch: number; reportImages: number; backend: string; json?: boolean }) => {
      if (!o.model === !o.results) throw new EffnetModelError('--model', 'give either --model <folder> (run a detector) or --results <file> (score a results file), not both or neither');
      let evaluation: CocoEvaluation;
      if (o.results) {
        const set = await readCocoAnnotations(await findInstancesFile(o.data));
        const detections = await readCocoResults(o.results, set);
        evaluation = evaluateCocoDetections({ imageIds: set.images.map((i) => i.id), categoryIds: set.categories.map((c) => c.id), groundTruth: set.annotations, detections });
      } else {
        await useBackend(o.backend);
        const { model, manifest } = await loadDetector(o.model!);
        try {
          const folder = await cocoFolder(o.data, manifest.spec.resolution);
          const categories = classCategories(manifest.classes, manifest.categoryIds, folder);
          const bar = (progress ?? (o.json ? silentProgress : terminalProgress())).bar('evaluate', folder.dataset.size, 'images');
          const run = await evaluateDetector(model, folder, categories, { batchSize: o.batch, minScore: o.minScore, nms: o.nms, softNmsSigma: o.sigma, bar }).finally(() => bar.stop());
          evaluation = run.evaluation;
          if (o.out) {
            mkdirSync(o.out, { recursive: true });
            await writeFileAtomic(join(o.out, 'results.json'), `${JSON.stringify(cocoResultsJson(run.results))}\n`);
            const images = await drawnImages(folder, run.detections, manifest.classes, o.reportImages);
            const facts = [`${o.model} on ${o.data}: ${folder.dataset.size} images at ${manifest.spec.resolution}×${manifest.spec.resolution}, ${o.nms === 'hard' ? 'hard NMS (IoU 0.5)' : `Gaussian soft-NMS (σ ${o.sigma})`}, scores ≥ ${o.minScore}`];
            const categoryNames = new Map(folder.annotations.categories.map((c) => [c.id, c.name]));
            await writeFileAtomic(join(o.out, 'report.html'), renderDetectionReport({ title: `effnet detect eval: ${o.model}`, facts, evaluation, categoryNames, losses: [], images }));
          }
        } finally {
          model.dispose();
        }
      }
      if (o.json) return printJson({ summary: evaluation.summary, stats: evaluation.stats, apPerCategory: Object.fromEntries(evaluation.apPerCategory) }, io.out);
      io.out(formatMetrics(evaluation));
    });
}

function predictSubcommand(io: Io): Command {
  return new Command('predict')
    .description('detect objects in image files with a saved detector; writes <out>/<name>.detections.png with the boxes drawn')
    .argument('<images...>', 'image files (PNG, JPEG, WebP)')
    .requiredOption('--model <folder>', 'folder with detector.json and weights.safetensors')
    .option('--out <folder>', 'where the annotated PNGs go', '.')
    .option('--min-score <p>', 'lowest score drawn and listed', fraction, 0.3)
    .addOption(nmsOption())
    .option('--sigma <s>', 'soft-NMS σ of exp(−IoU²/σ)', positiveNumber, 0.5)
    .option('--backend <name>', 'backend (see effnet backends), or auto', 'auto')
    .option('--json', 'print JSON instead of a table')
    .action(async (files: string[], options: { model: string; out: string; minScore: number; nms: 'hard' | 'gaussian'; sigma: number; backend: string; json?: boolean }) => {
      await useBackend(options.backend);
      const results = await detectFiles(options.model, files, { out: options.out, minScore: options.minScore, nms: options.nms, softNmsSigma: options.sigma });
      if (options.json) return printJson(results, io.out);
      const rows = results.flatMap(({ file, output, objects }) =>
        objects.length === 0
          ? [[file, '(none)', '', '', output]]
          : objects.map((o) => [file, o.className, o.score.toFixed(3), o.box.map((v) => v.toFixed(0)).join(', '), output]),
      );
      io.out(`${renderTable(['image', 'class', 'score', 'box (yMin, xMin, yMax, xMax)', 'drawn to'], rows, ['left', 'left', 'right', 'left', 'left'])}\n`);
    });
}

/** Builds the `detect` command with its `train`, `eval` and `predict` subcommands. */
export function detectCommand(io: Io, progress?: Progress): Command {
  const command = new Command('detect').description('EfficientDet on COCO-format folders: train, eval, predict');
  for (const sub of [trainSubcommand(io, progress), evalSubcommand(io, progress), predictSubcommand(io)]) command.addCommand(sub.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }));
  return command;
}

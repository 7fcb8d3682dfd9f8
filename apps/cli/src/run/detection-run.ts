// `effnet detect train`: one EfficientDet training run on COCO-format folders through
// @effnet/train's Trainer (its `loss` hook is EfficientDet.loss: anchor matching, focal + 50 · Huber),
// AdamW with warm-up and a cosine decay, gradient clipping, an optional weight EMA, checkpoints
// every N steps and `--resume`, a progress bar; at the end the (EMA) detector is evaluated on the
// validation folder as pycocotools would. The run folder:
//   <out>/run.json  <out>/checkpoints/  <out>/metrics.jsonl  <out>/model/  <out>/results.json
//   <out>/report.html  <out>/summary.json
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { EfficientDet, customDetectorSpec, preprocess, type CocoSummary, type CustomDetectorOptions, type LabelledBox } from '@effnet/models';
import { cosineLr, progressiveStages, toStepStages, warmup } from '@effnet/schedules';
import { cocoFolder, cocoResultsJson, type DetectionBatch } from '@effnet/data';
import { EffnetTrainError, Trainer, type StepRecord } from '@effnet/train';
import { MetricsLog, fileCheckpointStore, readMetrics } from '@effnet/train/node';
import writeFileAtomic from 'write-file-atomic';
import { renderDetectionReport } from '../report/detection-report.js';
import { onFirstCtrlC, resumeAndLog } from './ctrl-c.js';
import { classCategories, drawnImages, evaluateDetector } from './detection-eval.js';
import { saveDetector } from './detector-folder.js';
import { silentProgress, type Progress, type ProgressBar } from './progress.js';

/** Everything `effnet detect train` can be told. */
export interface DetectTrainOptions {
  /** COCO folder of training images. */
  data: string;
  /** COCO folder of validation images (same categories). */
  val: string;
  /** Run folder. */
  out: string;
  /** Square input size (a multiple of 2^maxLevel). */
  size: number;
  /** Backend name or `auto`. */
  backend: string;
  /** Seed of weights and batch order. */
  seed: number;
  /** Optimiser steps. */
  steps: number;
  /** Images per step. */
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  /** Warm-up steps. */
  warmupSteps: number;
  /** EMA decay of the weights (0: none). */
  ema: number;
  /** Checkpoint every N steps. */
  checkpointEvery: number;
  /** Checkpoints kept. */
  keep: number;
  /** Detector settings (customDetectorSpec options; default: the small shapes detector). */
  detector: CustomDetectorOptions;
  /** NMS used for the final evaluation. */
  nms: 'hard' | 'gaussian';
  /** Held-out images drawn in the report. */
  reportImages: number;
  /** Continue from the newest checkpoint in `<out>/checkpoints`. */
  resume: boolean;
  /** Ctrl-C stops with a checkpoint (default true; tests turn it off). */
  handleSigint?: boolean;
}

/** Defaults of every option but the folders. */
export const DETECT_TRAIN_DEFAULTS: Omit<DetectTrainOptions, 'data' | 'val' | 'out'> = {
  size: 64, backend: 'auto', seed: 0, steps: 500, batchSize: 8, lr: 4e-3, warmupSteps: 30, ema: 0, checkpointEvery: 100, keep: 2,
  detector: { backboneWidth: 0.25, backboneDepth: 0.25, channels: 32, bifpnLayers: 1, headLayers: 1, maxLevel: 5 }, nms: 'hard', reportImages: 12, resume: false,
};

/** What a run reports. */
export interface DetectTrainSummary {
  /** Run folder. */
  out: string;
  /** Backend used. */
  backend: string;
  /** Trainable parameters. */
  params: number;
  /** Steps done and planned. */
  steps: number;
  /** Steps planned. */
  totalSteps: number;
  /** Ended by Ctrl-C (no evaluation then). */
  stopped: boolean;
  /** The twelve COCO numbers on the validation folder (absent when stopped). */
  metrics?: CocoSummary;
  /** Seconds in `fit` and in total. */
  trainSeconds: number;
  /** Seconds of the whole run. */
  totalSeconds: number;
}

/** A COCO number for people: pycocotools' −1 (nothing to measure) as n/a. */
const shown = (v: number): string => (v < 0 ? 'n/a' : v.toFixed(3));

/** The settings a resumed run must share with the run it continues. */
function runIdentity(o: DetectTrainOptions): Record<string, unknown> {
  return { data: o.data, size: o.size, seed: o.seed, steps: o.steps, batchSize: o.batchSize, detector: o.detector };
}

/** Trains, evaluates and writes the run folder; `log` receives the human-readable lines. */
export async function detectTrainRun(options: DetectTrainOptions, log: (line: string) => void, progress: Progress = silentProgress): Promise<DetectTrainSummary> {
  const started = performance.now();
  const backend = (await useBackend(options.backend)).name;
  const runFile = join(options.out, 'run.json');
  if (options.resume && existsSync(runFile)) {
    const previous = JSON.parse(readFileSync(runFile, 'utf8')) as Record<string, unknown>;
    const now = runIdentity(options);
    const differing = Object.keys(now).filter((k) => JSON.stringify(previous[k]) !== JSON.stringify(now[k]));
    if (differing.length) throw new EffnetTrainError('resume', `--${differing[0]} differs from the run in ${options.out} (${JSON.stringify(previous[differing[0]!])} there, ${JSON.stringify(now[differing[0]!])} now); resume with the same settings`);
  }
  const { maxLevel } = customDetectorSpec({ ...options.detector, numClasses: 1, resolution: options.size });
  if (options.size % 2 ** maxLevel !== 0) throw new EffnetTrainError('size', `${options.size} is not a multiple of ${2 ** maxLevel} (the stride of P${maxLevel}); pick e.g. ${Math.max(1, Math.round(options.size / 2 ** maxLevel)) * 2 ** maxLevel}`);
  const train = await cocoFolder(options.data, options.size);
  const val = await cocoFolder(options.val, options.size);
  const ids = (f: typeof train): string => f.annotations.categories.map((c) => `${c.id}:${c.name}`).join(',');
  if (ids(train) !== ids(val)) throw new EffnetTrainError('val', `${options.val} has other categories than ${options.data}; both folders need the same category ids and names`);
  const classes = train.annotations.categories.map((c) => c.name);
  if (train.dataset.size < options.batchSize) throw new EffnetTrainError('batch', `${options.batchSize} is larger than the ${train.dataset.size} training images`);
  const spec = customDetectorSpec({ name: 'efficientdet-custom', ...options.detector, numClasses: classes.length, resolution: options.size });
  const model = new EfficientDet(spec, { seed: options.seed });
  const params = model.countParams();
  mkdirSync(options.out, { recursive: true });
  await writeFileAtomic(runFile, `${JSON.stringify(runIdentity(options), null, 2)}\n`);
  const metricsPath = join(options.out, 'metrics.jsonl');
  if (!options.resume) rmSync(metricsPath, { force: true });
  const metrics = new MetricsLog(metricsPath);
  const checkpointDir = join(options.out, 'checkpoints');
  const warm = Math.min(options.warmupSteps, Math.floor(options.steps / 4));
  let bar: ProgressBar = silentProgress.bar('', 0, '');
  const trainer: Trainer<EfficientDet, DetectionBatch, { images: tf.Tensor4D; boxes: LabelledBox[][] }> = new Trainer({
    model, train: train.dataset, numClasses: classes.length, batchSize: options.batchSize, seed: options.seed,
    plan: toStepStages(progressiveStages({ stages: 1, totalSteps: options.steps, from: { imageSize: options.size }, to: { imageSize: options.size } })),
    lr: warmup(cosineLr({ base: options.lr, steps: Math.max(1, options.steps - warm) }), { steps: warm }),
    optimizer: { kind: 'adamw', weightDecay: 1e-4 },
    clipNorm: 10,
    ema: options.ema > 0 ? { decay: options.ema } : undefined,
    checkpoints: { store: fileCheckpointStore(checkpointDir), every: options.checkpointEvery, keep: options.keep },
    prepare: (b) => ({ images: preprocess(tf.tensor4d(b.images, [b.count, ...b.imageShape], 'float32'), spec.backbone), boxes: b.boxes }),
    loss: (detector, batch, { seed }) => detector.loss(batch.images, batch.boxes, { seed }).total,
    callbacks: {
      onStep: (info) => {
        metrics.write({ type: 'step', step: info.step, epoch: info.epoch, stage: 0, imageSize: info.imageSize, loss: info.loss, lr: info.lr, imagesPerSecond: info.imagesPerSecond, elapsed: (performance.now() - started) / 1000 });
        bar.update(info.step, { loss: info.loss.toFixed(4), ips: info.imagesPerSecond.toFixed(0) });
      },
    },
  });
  let stopListening: (() => void) | undefined;
  try {
    if (options.resume) await resumeAndLog(trainer, { checkpointDir, totalSteps: options.steps, metricsPath }, log);
    log(`${spec.name}: ${params.toLocaleString('en')} parameters, ${classes.length} classes; ${train.dataset.size} training images (${options.data}) → ${val.dataset.size} validation images (${options.val}) at ${options.size}×${options.size}, backend ${backend}`);
    stopListening = onFirstCtrlC(options.handleSigint ?? true, 'stopping after this step and writing a checkpoint…', log, () => trainer.stop());
    bar = progress.bar('train', options.steps, 'steps', 'loss {loss} | {ips} img/s', { value: trainer.step, values: {} });
    const fitStarted = performance.now();
    const result = await trainer.fit();
    const trainSeconds = (performance.now() - fitStarted) / 1000;
    bar.stop();
    const base = { out: options.out, backend, params, steps: result.steps, totalSteps: options.steps, trainSeconds };
    if (result.stopped) {
      log(`stopped at step ${result.steps} of ${options.steps}; checkpoint in ${checkpointDir}. Continue with: effnet detect train … --out ${options.out} --resume`);
      return { ...base, stopped: true, totalSeconds: (performance.now() - started) / 1000 };
    }
    const categories = classCategories(classes, train.annotations.categories.map((c) => c.id), val);
    const evalBar = progress.bar('evaluate', val.dataset.size, 'images');
    const { evaluation, results, detections } = await trainer
      .withAveragedWeights(async () => {
        await saveDetector(join(options.out, 'model'), model, classes, categories.map((c) => c.id));
        return evaluateDetector(model, val, categories, { batchSize: options.batchSize, minScore: 0.001, nms: options.nms, bar: evalBar });
      })
      .finally(() => evalBar.stop());
    await writeFileAtomic(join(options.out, 'results.json'), `${JSON.stringify(cocoResultsJson(results))}\n`);
    const totalSeconds = (performance.now() - started) / 1000;
    const s = evaluation.summary;
    const losses = readMetrics(metricsPath).filter((r): r is StepRecord => r.type === 'step').map((r) => ({ step: r.step, loss: r.loss }));
    const facts = [
      `${spec.name}: ${params.toLocaleString('en')} parameters, ${options.size}×${options.size} input, ${classes.length} classes (${classes.join(', ')})`,
      `${result.steps} steps of ${options.batchSize} images on ${train.dataset.size} training images, AdamW peak lr ${options.lr}${options.ema > 0 ? `, EMA ${options.ema}` : ''}, backend ${backend}`,
      `validation ${options.val}: ${val.dataset.size} images, ${options.nms === 'hard' ? 'hard NMS (IoU 0.5)' : 'Gaussian soft-NMS (σ 0.5)'}: AP ${shown(s.ap)}, AP50 ${shown(s.ap50)}, AR100 ${shown(s.ar100)}`,
      `training ${trainSeconds.toFixed(0)} s, whole run ${totalSeconds.toFixed(0)} s`,
    ];
    const images = await drawnImages(val, detections, classes, options.reportImages);
    const categoryNames = new Map(val.annotations.categories.map((c) => [c.id, c.name]));
    await writeFileAtomic(join(options.out, 'report.html'), renderDetectionReport({ title: `effnet detect: ${spec.name} on ${options.data}`, facts, evaluation, categoryNames, losses, images }));
    const summary: DetectTrainSummary = { ...base, stopped: false, metrics: s, totalSeconds };
    await writeFileAtomic(join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    stopListening?.();
    bar.stop();
    trainer.dispose();
    model.dispose();
  }
}

// One training run, as `effnet train` and `npm run demo` do it: choose the backend, load the data
// set, build the model, derive the progressive plan (EfficientNetV2, Algorithm 1: image size and
// regularisation grow stage by stage), train with @effnet/train's Trainer while writing
// metrics.jsonl, checkpoints and a progress bar, evaluate with the EMA weights, save the model and
// write report.html. Ctrl-C stops after the current step with a checkpoint. The run folder:
//   <out>/model/  <out>/checkpoints/  <out>/metrics.jsonl  <out>/report.html  <out>/summary.json
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { efficientnet, type EfficientNet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { cosineLr, progressiveStages, toStepStages, warmup, type StageSettings } from '@effnet/schedules';
import {
  EffnetTrainError, MetricsLog, Trainer, readMetrics, standardPrepare, type Dataset, type Evaluation, type InMemoryDataset, type OptimizerConfig, type TrainStage,
} from '@effnet/train';
import { renderReport, type ReportSample } from '../report/render-report.js';
import { loadAnyDataset } from './datasets.js';
import { saveModel } from './model-folder.js';
import { encodePng } from './images.js';
import { silentProgress, type Progress, type ProgressBar } from './progress.js';

/** Everything a training run can be told. */
export interface TrainRunOptions {
  /** Preset name (see `effnet list`). */
  preset: string;
  /** `fashion-mnist`, `mnist`, or a folder with `train/` and `test/` image folders. */
  data: string;
  /** The run folder. */
  out: string;
  /** Backend name or `auto`. */
  backend: string;
  /** Seed of the weights, the data order and every random choice. */
  seed: number;
  /** Epochs over the training set (fractions allowed). */
  epochs: number;
  /** Examples per step. */
  batchSize: number;
  /** Progressive stages (1 = fixed size). */
  stages: number;
  /** First-stage image size (default: the last size halved, at least 8). */
  fromSize?: number;
  /** Last-stage image size (default: the preset's train size). */
  toSize?: number;
  /** Dropout of the first and last stage. */
  dropout: [number, number];
  /** Peak learning rate (after warm-up, then cosine decay to 0). */
  lr: number;
  /** Warm-up steps. */
  warmupSteps: number;
  /** Optimiser. */
  optimizer: 'sgd' | 'rmsprop' | 'adamw';
  /** Weight decay (L2 for SGD/RMSProp, decoupled for AdamW). */
  weightDecay: number;
  /** Label smoothing ε. */
  labelSmoothing: number;
  /** EMA decay of the weights. */
  emaDecay: number;
  /** Checkpoint every N steps (and at every stage end). */
  checkpointEvery: number;
  /** Checkpoints kept. */
  keep: number;
  /** Use at most this many images per class (quick runs, tests). */
  limitPerClass?: number;
  /** Test images evaluated at each stage end for the accuracy curve (0 = none). */
  stageEvalImages: number;
  /** Test images shown with predictions in the report. */
  reportSamples: number;
  /** Continue from the newest checkpoint in `<out>/checkpoints`. */
  resume: boolean;
  /** Ctrl-C stops the run cleanly with a checkpoint (default true; tests turn it off). */
  handleSigint?: boolean;
}

/** Defaults of every option but `preset`, `data` and `out`. */
export const TRAIN_DEFAULTS: Omit<TrainRunOptions, 'preset' | 'data' | 'out'> = {
  backend: 'auto', seed: 0, epochs: 1, batchSize: 64, stages: 3, dropout: [0.05, 0.2], lr: 0.004, warmupSteps: 50,
  optimizer: 'adamw', weightDecay: 0.02, labelSmoothing: 0.1, emaDecay: 0.99, checkpointEvery: 200, keep: 3,
  stageEvalImages: 2000, reportSamples: 24, resume: false,
};

/** What a run reports at the end. */
export interface TrainRunSummary {
  /** The run folder. */
  out: string;
  /** Backend used. */
  backend: string;
  /** Preset trained. */
  preset: string;
  /** Data set name. */
  data: string;
  /** Trainable parameters. */
  params: number;
  /** Steps completed. */
  steps: number;
  /** Steps planned. */
  totalSteps: number;
  /** Whether Ctrl-C (or `stop`) ended the run early. */
  stopped: boolean;
  /** The plan followed. */
  plan: TrainStage[];
  /** Final evaluation on the held-out split with EMA weights (absent when stopped). */
  evaluation?: Omit<Evaluation, 'confusion'> & { useEma: boolean };
  /** Seconds spent in `fit`. */
  trainSeconds: number;
  /** Seconds of the whole run. */
  totalSeconds: number;
  /** Peak resident set size of the process, MiB. */
  peakRssMiB: number;
  /** Tensors held after the first step and after the last one (equal: nothing leaks per step). */
  tensorsAfterFirstStep: number;
  /** See `tensorsAfterFirstStep`. */
  tensorsAfterLastStep: number;
  /** Tensors leaked per step (must be 0). */
  tensorsLeakedPerStep: number;
}

/** Writes `text` to `path` through a temporary file and a rename. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The plan of a run: `stages` stages over the total steps, size and dropout interpolated. */
export function runPlan(options: Pick<TrainRunOptions, 'stages' | 'fromSize' | 'toSize' | 'dropout'>, totalSteps: number, finalSize: number): TrainStage[] {
  const toSize = options.toSize ?? finalSize;
  const fromSize = options.stages === 1 ? toSize : (options.fromSize ?? Math.max(8, Math.round(toSize / 2)));
  const from: StageSettings = { imageSize: fromSize, dropout: options.stages === 1 ? options.dropout[1] : options.dropout[0] };
  const to: StageSettings = { imageSize: toSize, dropout: options.dropout[1] };
  const plan = progressiveStages({ stages: options.stages, totalSteps, from, to, sizeMultiple: 2 });
  return toStepStages(plan).map((stage) => ({
    startStep: stage.startStep, steps: stage.steps, imageSize: stage.imageSize, dropout: stage.dropout, dropPath: stage.dropPath,
    randAugmentMagnitude: stage.randAugmentMagnitude, mixupAlpha: stage.mixupAlpha,
  }));
}

/** Logits → (top class, its probability) per row. */
function topClasses(logits: Float32Array | Int32Array | Uint8Array, classes: number): { index: number; probability: number }[] {
  const rows = logits.length / classes;
  return Array.from({ length: rows }, (_, r) => {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    const max = Math.max(...row);
    const exp = row.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    const index = row.indexOf(max);
    return { index, probability: exp[index]! / sum };
  });
}

/** Report samples: the first `count` test images in a seeded order, with the model's predictions. */
async function reportSamples(model: EfficientNet, test: InMemoryDataset, count: number, prepare: ReturnType<typeof standardPrepare>, stage: TrainStage): Promise<ReportSample[]> {
  if (count <= 0) return [];
  const step = Math.max(1, Math.floor(test.size / count));
  const indices = Array.from({ length: Math.min(count, test.size) }, (_, i) => (i * step + 7) % test.size);
  const subset = test.subset(indices);
  const samples: ReportSample[] = [];
  for await (const batch of subset.batches({ batchSize: indices.length })) {
    const logits = tf.tidy(() => model.forward(prepare(batch, { stage, step: 0, seed: 0, training: false }).images, { training: false }));
    const values = await logits.data();
    logits.dispose();
    const top = topClasses(values, test.classNames.length);
    const [h, w, c] = batch.imageShape;
    for (let i = 0; i < batch.count; i++) {
      const pixels = batch.images.subarray(i * h * w * c, (i + 1) * h * w * c);
      samples.push({
        png: await encodePng(pixels, w, h, c),
        truth: test.classNames[batch.labels[i]!]!,
        predicted: test.classNames[top[i]!.index]!,
        confidence: top[i]!.probability,
      });
    }
  }
  return samples;
}

/** Runs one training run; `log` receives the human-readable lines (stage starts, results). */
export async function trainRun(options: TrainRunOptions, log: (line: string) => void, progress: Progress = silentProgress): Promise<TrainRunSummary> {
  const started = performance.now();
  const backend = (await useBackend(options.backend)).name;
  const tensorsAtStart = tf.memory().numTensors;
  const { train, test, mean, std } = await loadAnyDataset(options.data, { limitPerClass: options.limitPerClass, size: options.toSize ?? 64 });
  const [height, , channels] = train.imageShape;
  const spec = preset(options.preset, { numClasses: train.classNames.length, inChannels: channels }) as ModelSpec;
  const finalSize = options.toSize ?? (spec.resolution.train > height * 2 ? height : spec.resolution.train);
  const stepsPerEpoch = Math.floor(train.size / options.batchSize);
  if (stepsPerEpoch < 1) throw new EffnetTrainError('batchSize', `${options.batchSize} is larger than the ${train.size} training images`);
  const totalSteps = Math.max(options.stages, Math.round(options.epochs * stepsPerEpoch));
  const plan = runPlan(options, totalSteps, finalSize);
  const model = efficientnet(spec, { seed: options.seed });
  const params = model.countParams();
  const prepare = standardPrepare({ numClasses: train.classNames.length, mean, std, labelSmoothing: options.labelSmoothing });
  const optimizer: OptimizerConfig = options.optimizer === 'adamw' ? { kind: 'adamw', weightDecay: options.weightDecay } : options.optimizer === 'rmsprop' ? { kind: 'rmsprop' } : { kind: 'sgd', momentum: 0.9, nesterov: true };
  const warm = Math.min(options.warmupSteps, Math.floor(totalSteps / 4));
  mkdirSync(options.out, { recursive: true });
  const metricsPath = join(options.out, 'metrics.jsonl');
  if (!options.resume) rmSync(metricsPath, { force: true });
  const metrics = new MetricsLog(metricsPath);
  const checkpointDir = join(options.out, 'checkpoints');
  const stageEval = options.stageEvalImages > 0 ? test.subset(Array.from({ length: Math.min(options.stageEvalImages, test.size) }, (_, i) => Math.floor((i * test.size) / Math.min(options.stageEvalImages, test.size)))) : null;
  const barFormat = 'stage {stage} {size}px | loss {loss} | {ips} img/s';
  let bar: ProgressBar = silentProgress.bar('', 0, '');
  let tensorsAfterFirstStep = -1;
  let tensorsAfterLastStep = -1;
  let firstStep = -1;
  const trainer: Trainer = new Trainer({
    model, train, numClasses: train.classNames.length, batchSize: options.batchSize, plan, seed: options.seed,
    lr: warmup(cosineLr({ base: options.lr, steps: Math.max(1, totalSteps - warm) }), { steps: warm }),
    optimizer, weightDecay: options.optimizer === 'adamw' ? 0 : options.weightDecay, ema: { decay: options.emaDecay }, prepare,
    checkpoints: { dir: checkpointDir, every: options.checkpointEvery, keep: options.keep },
    callbacks: {
      onStageStart: (stage, index) => {
        metrics.write({ type: 'stage', index, startStep: stage.startStep, steps: stage.steps, imageSize: stage.imageSize, dropout: stage.dropout ?? 0, dropPath: stage.dropPath ?? 0, randAugmentMagnitude: stage.randAugmentMagnitude ?? 0, mixupAlpha: stage.mixupAlpha ?? 0 });
      },
      onStep: async (info) => {
        metrics.write({ type: 'step', step: info.step, epoch: info.epoch, stage: info.stage, imageSize: info.imageSize, loss: info.loss, lr: info.lr, imagesPerSecond: info.imagesPerSecond, elapsed: (performance.now() - started) / 1000 });
        bar.update(info.step, { stage: `${info.stage + 1}/${plan.length}`, size: info.imageSize, loss: info.loss.toFixed(3), ips: info.imagesPerSecond.toFixed(0) });
        if (firstStep < 0) {
          firstStep = info.step;
          tensorsAfterFirstStep = tf.memory().numTensors;
        }
        tensorsAfterLastStep = tf.memory().numTensors;
        const stageIndex = plan.findIndex((s) => s.startStep + s.steps === info.step);
        if (stageEval && stageIndex >= 0 && stageIndex < plan.length - 1) {
          const evaluation = await trainer.evaluate(stageEval, { useEma: true, imageSize: plan[stageIndex]!.imageSize });
          metrics.write({ type: 'eval', step: info.step, ema: true, loss: evaluation.loss, top1: evaluation.top1, top5: evaluation.top5, count: evaluation.count });
          bar.stop();
          log(`stage ${stageIndex + 1}/${plan.length} done at step ${info.step}: top-1 ${(evaluation.top1 * 100).toFixed(2)} % on ${evaluation.count} test images (EMA, ${plan[stageIndex]!.imageSize}px)`);
          bar = progress.bar('train', totalSteps, 'steps', barFormat, { value: info.step, values: { stage: `${stageIndex + 2}/${plan.length}`, size: plan[stageIndex + 1]!.imageSize, loss: info.loss.toFixed(3) } });
        }
      },
    },
  });
  let stopped = false;
  const onSigint = () => {
    if (stopped) return;
    stopped = true;
    log('\nCtrl-C: stopping after this step and writing a checkpoint…');
    trainer.stop();
  };
  try {
    if (options.resume) {
      const step = await trainer.resume(checkpointDir);
      log(step === undefined ? `no checkpoint in ${checkpointDir}: starting from step 0` : `resumed from step ${step} of ${totalSteps}`);
    }
    log(`${spec.name}: ${params.toLocaleString('en')} parameters, ${train.name} (${train.size} images) → ${test.name} (${test.size}), backend ${backend}`);
    log(`plan: ${plan.map((s, i) => `stage ${i + 1}: ${s.steps} steps at ${s.imageSize}px, dropout ${(s.dropout ?? 0).toFixed(2)}`).join('; ')}`);
    if (options.handleSigint ?? true) process.on('SIGINT', onSigint);
    bar = progress.bar('train', totalSteps, 'steps', barFormat, { value: trainer.step, values: {} });
    const fitStarted = performance.now();
    const result = await trainer.fit();
    const trainSeconds = (performance.now() - fitStarted) / 1000;
    bar.stop();
    if (options.handleSigint ?? true) process.off('SIGINT', onSigint);
    const leaked = firstStep >= 0 && result.steps > firstStep ? (tensorsAfterLastStep - tensorsAfterFirstStep) / (result.steps - firstStep) : 0;
    if (leaked !== 0) {
      throw new EffnetTrainError('memory', `${tensorsAfterLastStep - tensorsAfterFirstStep} tensors leaked over ${result.steps - firstStep} steps (${tensorsAfterFirstStep} → ${tensorsAfterLastStep})`);
    }
    const base = {
      out: options.out, backend, preset: spec.name, data: train.name, params, steps: result.steps, totalSteps, plan,
      trainSeconds, tensorsAfterFirstStep, tensorsAfterLastStep, tensorsLeakedPerStep: leaked,
    };
    if (result.stopped) {
      log(`stopped at step ${result.steps} of ${totalSteps}; checkpoint in ${checkpointDir}. Continue with: effnet train … --out ${options.out} --resume`);
      return { ...base, stopped: true, totalSeconds: (performance.now() - started) / 1000, peakRssMiB: peakRssMiB() };
    }
    const last = plan.at(-1)!;
    const evalBar = progress.bar('evaluate', test.size, 'images');
    const evaluation = await trainer.evaluate(countingBatches(test, (n) => evalBar.update(n)), { useEma: true, imageSize: last.imageSize }).finally(() => evalBar.stop());
    metrics.write({ type: 'eval', step: result.steps, ema: true, loss: evaluation.loss, top1: evaluation.top1, top5: evaluation.top5, count: evaluation.count, confusion: evaluation.confusion });
    const samples = await trainer.withAveragedWeights(async () => {
      await saveModel(options.out, model, { spec, classNames: [...train.classNames], mean, std, imageSize: last.imageSize, source: `effnet train ${spec.name} on ${train.name}, ${result.steps} steps, EMA weights` }, result.steps);
      return reportSamples(model, test, options.reportSamples, prepare, last);
    });
    const totalSeconds = (performance.now() - started) / 1000;
    const facts = [
      `${spec.name}, ${params.toLocaleString('en')} parameters, trained on ${train.name} (${train.size.toLocaleString('en')} images) with backend ${backend}`,
      `${plan.length}-stage progressive plan: ${plan.map((s) => `${s.imageSize}px`).join(' → ')}, ${result.steps} steps of ${options.batchSize}, ${options.optimizer}, peak lr ${options.lr}, EMA ${options.emaDecay}`,
      `held-out ${test.name}: top-1 ${(evaluation.top1 * 100).toFixed(2)} %, top-5 ${(evaluation.top5 * 100).toFixed(2)} % on ${evaluation.count.toLocaleString('en')} images (EMA weights)`,
      `training ${trainSeconds.toFixed(0)} s, whole run ${totalSeconds.toFixed(0)} s, peak RSS ${peakRssMiB()} MiB`,
    ];
    writeFileAtomic(join(options.out, 'report.html'), renderReport(readMetrics(metricsPath), { title: `effnet: ${spec.name} on ${train.name.replace(/\/train$/, '')}`, classNames: train.classNames, samples, facts }));
    const { confusion: _confusion, ...scores } = evaluation;
    const summary: TrainRunSummary = { ...base, stopped: false, evaluation: { ...scores, useEma: true }, totalSeconds, peakRssMiB: peakRssMiB() };
    writeFileAtomic(join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    process.off('SIGINT', onSigint);
    bar.stop();
    trainer.dispose();
    model.dispose();
    const after = tf.memory().numTensors;
    if (after !== tensorsAtStart && existsSync(options.out)) {
      log(`warning: ${after - tensorsAtStart} tensors still held after the run`);
    }
  }
}

/** The same dataset, reporting how many examples have been read so far. */
export function countingBatches(data: Dataset, onCount: (n: number) => void): Dataset {
  return {
    name: data.name, size: data.size, imageShape: data.imageShape, classNames: data.classNames,
    async *batches(options) {
      let n = 0;
      for await (const batch of data.batches(options)) {
        yield batch;
        n += batch.count;
        onCount(n);
      }
    },
  };
}

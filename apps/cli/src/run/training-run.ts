// One training run, as `effnet train` and `npm run demo` do it: choose the backend, load the data
// set, build the model, derive the progressive plan (EfficientNetV2, Algorithm 1: image size and
// regularisation grow stage by stage), train with @effnet/train's Trainer while writing
// metrics.jsonl, checkpoints and a progress bar, evaluate with the EMA weights, save the model and
// write report.html. Ctrl-C stops after the current step with a checkpoint. The run folder:
//   <out>/model/  <out>/checkpoints/  <out>/metrics.jsonl  <out>/report.html  <out>/summary.json
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import writeFileAtomic from 'write-file-atomic';
import { useBackend } from '@effnet/backends';
import { cosineLr, warmup } from '@effnet/schedules';
import type { EfficientNet } from '@effnet/models';
import { EffnetTrainError, Trainer, standardPrepare, type InMemoryDataset, type OptimizerConfig, type TrainStage } from '@effnet/train';
import { MetricsLog, fileCheckpointStore, readMetrics } from '@effnet/train/node';
import { renderReport } from '../report/render-report.js';
import { loadAnyDataset } from './datasets.js';
import { initialModel } from './init-model.js';
import { classIndices, selectClasses } from './select-classes.js';
import { saveModel } from './model-folder.js';
import { silentProgress, type Progress, type ProgressBar } from './progress.js';
import { reportSamples } from './report-samples.js';
import { checkFolder, prepareRunFolder } from './run-folder.js';
import { onFirstCtrlC, resumeAndLog } from './ctrl-c.js';
import { lockRunFolder } from './run-lock.js';
import { runPlan } from './run-plan.js';
import { replicaPool, resolveWorkers } from './replica-pool.js';
import type { TrainRunOptions, TrainRunSummary } from './train-run-options.js';

export { TRAIN_DEFAULTS, type TrainRunOptions, type TrainRunSummary } from './train-run-options.js';

/** Most steps a run may plan (a typo such as --epochs 1e15 would otherwise run for ever). */
const MAX_STEPS = 100_000_000;

function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Runs one training run; `log` receives the human-readable lines (stage starts, results). The run
 * folder is locked for the whole run.
 */
export async function trainRun(options: TrainRunOptions, log: (line: string) => void, progress: Progress = silentProgress): Promise<TrainRunSummary> {
  checkFolder(options.out, '--out');
  const unlock = lockRunFolder(options.out);
  try {
    return await lockedTrainRun(options, log, progress);
  } finally {
    unlock();
  }
}

async function lockedTrainRun(options: TrainRunOptions, log: (line: string) => void, progress: Progress): Promise<TrainRunSummary> {
  const started = performance.now();
  const backend = (await useBackend(options.backend)).name;
  const workers = resolveWorkers(options.workers, backend);
  const tensorsAtStart = tf.memory().numTensors;
  const loaded = await loadAnyDataset(options.data, { limitPerClass: options.limitPerClass, size: options.toSize ?? 64 });
  const { mean, std } = loaded;
  const chosen = options.classes ? classIndices(options.classes, loaded.train.classNames) : null;
  const [train, test] = chosen ? [selectClasses(loaded.train, chosen), selectClasses(loaded.test, chosen)] : [loaded.train, loaded.test];
  const [height, , channels] = train.imageShape;
  const initial = await initialModel(options, { classes: train.classNames.length, channels, name: train.name });
  const model = initial.model;
  try {
    return await trainModel(model, initial.source, { train, test, mean, std, height }, { ...options, workers }, log, progress, started, backend);
  } finally {
    model.dispose();
    const after = tf.memory().numTensors;
    if (after !== tensorsAtStart && existsSync(options.out)) {
      log(`warning: ${after - tensorsAtStart} tensors still held after the run`);
    }
  }
}

/** The data of a run, its normalisation and its image height. */
interface RunData { train: InMemoryDataset; test: InMemoryDataset; mean: number[]; std: number[]; height: number }

async function trainModel(
  model: EfficientNet, source: string, { train, test, mean, std, height }: RunData, options: TrainRunOptions, log: (line: string) => void,
  progress: Progress, started: number, backend: string,
): Promise<TrainRunSummary> {
  const spec = model.spec;
  const finalSize = options.toSize ?? (spec.resolution.train > height * 2 ? height : spec.resolution.train);
  const stepsPerEpoch = Math.floor(train.size / options.batchSize);
  if (stepsPerEpoch < 1) throw new EffnetTrainError('batchSize', `${options.batchSize} is larger than the ${train.size} training images`);
  const asked = Math.round(options.epochs * stepsPerEpoch);
  if (asked > MAX_STEPS) throw new EffnetTrainError('epochs', `${options.epochs} epochs are ${asked.toLocaleString('en')} steps, more than ${MAX_STEPS.toLocaleString('en')}: ask for fewer epochs`);
  if (options.stages > Math.max(1, asked)) throw new EffnetTrainError('stages', `${options.stages} stages need at least as many steps, and ${options.epochs} epochs of ${options.batchSize} images are ${asked} steps: use fewer stages, more epochs or a smaller --batch`);
  const totalSteps = Math.max(1, asked);
  const plan = runPlan(spec, options, totalSteps, finalSize);
  prepareRunFolder(options);
  const params = model.countParams();
  const prepare = standardPrepare({ numClasses: train.classNames.length, mean, std, labelSmoothing: options.labelSmoothing, randAugmentOps: options.randAugmentOps });
  const schedule = (base: number) => warmup(cosineLr({ base, steps: Math.max(1, totalSteps - warm) }), { steps: warm });
  const warm = Math.min(options.warmupSteps, Math.floor(totalSteps / 4));
  const optimizer: OptimizerConfig = options.optimizer === 'adamw' ? { kind: 'adamw', weightDecay: options.weightDecay } : options.optimizer === 'rmsprop' ? { kind: 'rmsprop' } : { kind: 'sgd', momentum: 0.9, nesterov: true };
  const metricsPath = join(options.out, 'metrics.jsonl');
  const metrics = new MetricsLog(metricsPath);
  const checkpointDir = join(options.out, 'checkpoints');
  const stageEval = options.stageEvalImages > 0 ? test.subset(Array.from({ length: Math.min(options.stageEvalImages, test.size) }, (_, i) => Math.floor((i * test.size) / Math.min(options.stageEvalImages, test.size)))) : null;
  const barFormat = 'stage {stage} {size}px | loss {loss} | {ips} img/s';
  let bar: ProgressBar = silentProgress.bar('', 0, '');
  let tensorsAfterFirstStep = -1;
  let tensorsAfterLastStep = -1;
  let firstStep = -1;
  const replicas = replicaPool(options.workers ?? 1, spec, backend);
  const trainer: Trainer = new Trainer({
    model, train, ...(replicas ? { replicas } : {}), numClasses: train.classNames.length, batchSize: options.batchSize, plan, seed: options.seed,
    lr: schedule(options.lr),
    ...(options.freeze !== 'none' || options.headLr !== undefined ? { fineTune: { freeze: options.freeze, ...(options.headLr !== undefined ? { headLr: schedule(options.headLr) } : {}) } } : {}),
    optimizer, weightDecay: options.optimizer === 'adamw' ? 0 : options.weightDecay, ema: { decay: options.emaDecay }, prepare,
    checkpoints: { store: fileCheckpointStore(checkpointDir), every: options.checkpointEvery, keep: options.keep },
    callbacks: {
      onStageStart: (stage, index) => {
        const { startStep, steps, imageSize, dropout, dropPath, randAugmentMagnitude, mixupAlpha, cutmixAlpha } = stage;
        metrics.write({ type: 'stage', index, startStep, steps, imageSize, dropout, dropPath, randAugmentMagnitude, mixupAlpha, cutmixAlpha, randAugmentOps: options.randAugmentOps });
      },
      onStageEnd: (stage, index, applied) => metrics.write({ type: 'stage-end', index, step: stage.startStep + stage.steps, ...applied }),
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
  let stopListening: (() => void) | undefined;
  try {
    if (options.resume) await resumeAndLog(trainer, { checkpointDir, totalSteps: totalSteps, metricsPath }, log);
    log(`${spec.name}: ${params.toLocaleString('en')} parameters, ${train.name} (${train.size} images) → ${test.name} (${test.size}), backend ${backend}${replicas ? `, ${replicas.size} data-parallel replicas (batch norm per replica)` : ''}`);
    log(`plan: ${plan.map((s, i) => `stage ${i + 1}: ${s.steps} steps at ${s.imageSize}px, ${describeStage(s)}`).join('; ')}`);
    if (options.init) log(`${source}${options.freeze !== 'none' ? `, freezing ${options.freeze === 'bn' ? 'batch norm' : 'all but the classifier'}` : ''}${options.headLr !== undefined ? `, classifier lr ${options.headLr}` : ''}`);
    stopListening = onFirstCtrlC(options.handleSigint ?? true, 'stopping after this step and writing a checkpoint…', log, () => trainer.stop());
    bar = progress.bar('train', totalSteps, 'steps', barFormat, { value: trainer.step, values: {} });
    const fitStarted = performance.now();
    const result = await trainer.fit();
    const trainSeconds = (performance.now() - fitStarted) / 1000;
    bar.stop();
    stopListening?.();
    const leaked = firstStep >= 0 && result.steps > firstStep ? (tensorsAfterLastStep - tensorsAfterFirstStep) / (result.steps - firstStep) : 0;
    if (leaked !== 0) {
      throw new EffnetTrainError('memory', `${tensorsAfterLastStep - tensorsAfterFirstStep} tensors leaked over ${result.steps - firstStep} steps (${tensorsAfterFirstStep} → ${tensorsAfterLastStep})`);
    }
    const base = {
      out: options.out, backend, workers: replicas?.size ?? 1, preset: spec.name, data: train.name, params, steps: result.steps, totalSteps, plan,
      trainSeconds, tensorsAfterFirstStep, tensorsAfterLastStep, tensorsLeakedPerStep: leaked,
    };
    if (result.stopped) {
      log(`stopped at step ${result.steps} of ${totalSteps}; checkpoint in ${checkpointDir}. Continue with: effnet train … --out ${options.out} --resume`);
      return { ...base, stopped: true, totalSeconds: (performance.now() - started) / 1000, peakRssMiB: peakRssMiB() };
    }
    const last = plan.at(-1)!;
    const evalBar = progress.bar('evaluate', test.size, 'images');
    const evaluation = await trainer.evaluate(test, { useEma: true, imageSize: last.imageSize, onProgress: (n) => evalBar.update(n) }).finally(() => evalBar.stop());
    metrics.write({ type: 'eval', step: result.steps, ema: true, loss: evaluation.loss, top1: evaluation.top1, top5: evaluation.top5, count: evaluation.count, confusion: evaluation.confusion });
    const samples = await trainer.withAveragedWeights(async () => {
      await saveModel(options.out, model, { spec, classNames: [...train.classNames], mean, std, imageSize: last.imageSize, source: `effnet train ${spec.name} on ${train.name}, ${result.steps} steps, EMA weights, ${source}` });
      return reportSamples(model, test, options.reportSamples, prepare, last);
    });
    const totalSeconds = (performance.now() - started) / 1000;
    const facts = [
      `${spec.name}, ${params.toLocaleString('en')} parameters, trained on ${train.name} (${train.size.toLocaleString('en')} images) with backend ${backend}`,
      `${plan.length}-stage progressive plan: ${plan.map((s) => `${s.imageSize}px`).join(' → ')}, ${result.steps} steps of ${options.batchSize}, ${options.optimizer}, peak lr ${options.lr}, EMA ${options.emaDecay}`,
      `held-out ${test.name}: top-1 ${(evaluation.top1 * 100).toFixed(2)} %, top-5 ${(evaluation.top5 * 100).toFixed(2)} % on ${evaluation.count.toLocaleString('en')} images (EMA weights)`,
      `training ${trainSeconds.toFixed(0)} s, whole run ${totalSeconds.toFixed(0)} s, peak RSS ${peakRssMiB()} MiB`,
    ];
    writeFileAtomic.sync(join(options.out, 'report.html'), renderReport(readMetrics(metricsPath), { title: `effnet: ${spec.name} on ${train.name.replace(/\/train$/, '')}`, classNames: train.classNames, samples, facts }));
    const { confusion: _confusion, ...scores } = evaluation;
    const summary: TrainRunSummary = { ...base, stopped: false, evaluation: { ...scores, useEma: true }, totalSeconds, peakRssMiB: peakRssMiB() };
    writeFileAtomic.sync(join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    stopListening?.();
    bar.stop();
    trainer.dispose();
    await replicas?.close();
  }
}

/** A stage's regularisation in words, for the log. */
function describeStage(s: TrainStage): string {
  const parts = [`dropout ${s.dropout.toFixed(2)}`];
  if (s.dropPath > 0) parts.push(`drop path ${s.dropPath.toFixed(2)}`);
  if (s.randAugmentMagnitude > 0) parts.push(`RandAugment ${Number(s.randAugmentMagnitude.toFixed(2))}`);
  if (s.mixupAlpha > 0) parts.push(`Mixup ${Number(s.mixupAlpha.toFixed(3))}`);
  if (s.cutmixAlpha > 0) parts.push(`CutMix ${Number(s.cutmixAlpha.toFixed(3))}`);
  return parts.join(', ');
}

// `effnet bench`: median time of an inference pass (and, with --train, of a training step) of a
// preset (or, with --spec, a ModelSpec file such as effnet search's best.json) on a backend, after warm-up runs, with a progress bar. Random weights and inputs: the
// timing does not depend on them. With --workers N the training step is data-parallel over N
// replicas (the main thread and N - 1 worker threads), as `effnet train --workers N` runs it.
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { efficientnet } from '@effnet/models';
import { crossEntropyLoss, type GradientPool, type TrainStage } from '@effnet/train';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson, renderTable } from '../output.js';
import { silentProgress, terminalProgress, type Progress } from '../run/progress.js';
import { checkWorkers, replicaPool, workerCount } from '../run/replica-pool.js';
import { EffnetConfigError, preset, type ModelSpec } from '@effnet/scaling';
import { readSpecFile } from '../run/spec-file.js';
import '../register-backends.js';

/** Options of {@link benchPreset}. */
export interface BenchOptions {
  /** Preset name. */
  preset: string;
  /** A resolved ModelSpec to time instead of the preset (its own channels and classes are used). */
  spec?: ModelSpec;
  /** Square input size (default: the preset's eval size). */
  resolution?: number;
  /** Images per pass. */
  batch: number;
  /** Timed runs. */
  runs: number;
  /** Untimed warm-up runs. */
  warmup: number;
  /** Also time training steps. */
  train: boolean;
  /** Input channels. */
  channels: number;
  /** Classes. */
  classes: number;
  /** Data-parallel replicas of the training step (default 1: the main thread alone). */
  workers?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times the preset; returns median milliseconds per pass and images per second. */
export async function benchPreset(options: BenchOptions, progress: Progress = silentProgress) {
  const spec = options.spec ?? (preset(options.preset, { numClasses: options.classes, inChannels: options.channels }) as ModelSpec);
  const channels = spec.inChannels;
  const classes = spec.numClasses;
  const size = options.resolution ?? spec.resolution.eval;
  const model = efficientnet(spec, { seed: 1 });
  const x = tf.randomUniform([options.batch, size, size, channels], -1, 1, 'float32', 1) as tf.Tensor4D;
  const labels = Int32Array.from({ length: options.batch }, (_, i) => i % classes);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat()) as tf.Tensor2D;
  const optimizer = tf.train.sgd(1e-3);
  const workers = options.workers ?? 1;
  checkWorkers(workers, tf.getBackend());
  const pool = options.train ? replicaPool(workers, spec, tf.getBackend()) : null;
  // The training step of either path: the preset's dropout, no drop path, softmax cross-entropy.
  const stage: TrainStage = { index: 0, startStep: 0, steps: 1, imageSize: size, dropout: spec.dropout, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 };
  const context = { stage, step: 0, seed: 1 };
  const time = async (label: string, pass: () => tf.Tensor | Promise<tf.Tensor>) => {
    const bar = progress.bar(label, options.warmup + options.runs, 'runs');
    const times: number[] = [];
    const cpuTimes: number[] = []; // CPU time of the process, worker threads included: the work a step costs, whatever the load
    try {
      for (let i = 0; i < options.warmup + options.runs; i++) {
        const started = performance.now();
        const cpu = process.cpuUsage();
        const out = await pass();
        await out.data();
        out.dispose();
        const used = process.cpuUsage(cpu);
        if (i >= options.warmup) {
          times.push(performance.now() - started);
          cpuTimes.push((used.user + used.system) / 1000);
        }
        bar.update(i + 1);
      }
    } finally {
      bar.stop();
    }
    const ms = median(times);
    return { ms, cpuMs: median(cpuTimes), imagesPerSecond: (options.batch * 1000) / ms };
  };
  const variables = model.trainableVariables();
  const parallelStep = async (replicas: GradientPool) => {
    if (!replicas.isStarted) await replicas.start(model, variables);
    const { loss, grads } = await replicas.gradients(model, variables, { images: x, targets: y }, context, 0);
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    return tf.scalar(loss);
  };
  try {
    const inference = await time('inference', () => model.forward(x, { training: false }));
    const training = options.train
      ? await time(`train step${pool ? ` (${pool.size} workers)` : ''}`, () =>
          pool
            ? parallelStep(pool)
            : tf.tidy(() => {
                const { value, grads } = tf.variableGrads(() => crossEntropyLoss(model, { images: x, targets: y }, context), variables);
                optimizer.applyGradients(grads);
                return value;
              }),
        )
      : undefined;
    return { preset: spec.name, backend: tf.getBackend(), resolution: size, batch: options.batch, runs: options.runs, workers: pool?.size ?? 1, inference, ...(training ? { training } : {}) };
  } finally {
    await pool?.close();
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  }
}

/** Builds the `bench` command. */
export function benchCommand(io: Io, progress?: Progress): Command {
  return new Command('bench')
    .description('time inference (and with --train a training step) of a preset on a backend: median of N runs after warm-up')
    .option('--preset <name>', 'preset', 'efficientnet-b0')
    .option('--spec <file.json>', 'time this ModelSpec instead of --preset (e.g. the best.json of effnet search); its own channels and classes')
    .option('--resolution <pixels>', 'input size (default: the preset’s eval size)', positiveInteger)
    .option('--batch <n>', 'images per pass', positiveInteger, 1)
    .option('--runs <n>', 'timed runs', positiveInteger, 10)
    .option('--warmup <n>', 'untimed warm-up runs', positiveInteger, 2)
    .option('--channels <n>', 'input channels', positiveInteger, 3)
    .option('--classes <n>', 'classes', positiveInteger, 1000)
    .option('--train', 'also time a training step (forward, backward, SGD update)')
    .option('--workers <n>', 'data-parallel replicas of the training step, as effnet train --workers (wasm or cpu backend)', workerCount, 1)
    .option('--backend <name>', 'backend (see effnet backends), or auto', 'auto')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: Omit<BenchOptions, 'spec'> & { spec?: string; backend: string; json?: boolean }, command: Command) => {
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      if (options.spec !== undefined && given('preset')) throw new EffnetConfigError('--spec', '--spec and --preset were both given: time either a preset or a spec file, not both');
      // A spec file fixes its channels and classes; --channels/--classes given with it must agree.
      const spec = options.spec === undefined ? undefined : readSpecFile(options.spec, given('classes') ? options.classes : undefined, given('channels') ? options.channels : undefined);
      await useBackend(options.backend);
      const result = await benchPreset({ ...options, spec, train: Boolean(options.train) }, progress ?? (options.json ? silentProgress : terminalProgress()));
      if (options.json) return printJson(result, io.out);
      const rows = [['inference', result.inference.ms.toFixed(1), result.inference.imagesPerSecond.toFixed(1)]];
      if (result.training) rows.push([`train step${result.workers > 1 ? `, ${result.workers} workers` : ''}`, result.training.ms.toFixed(1), result.training.imagesPerSecond.toFixed(1)]);
      io.out(`${result.preset} at ${result.resolution}px, batch ${result.batch}, backend ${result.backend}, median of ${result.runs}\n${renderTable(['pass', 'ms', 'images/s'], rows)}\n`);
    });
}

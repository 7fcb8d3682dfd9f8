// One candidate of a search, trained and measured: a short run of @effnet/train's Trainer on the
// proxy task (one fixed-size stage, AdamW, warm-up then cosine), its median training-step time on
// the active tfjs backend (the first step, which compiles kernels, left out), top-1 accuracy on
// the validation images, and parameters and FLOPs from scaling's cost model.
import * as tf from '@tensorflow/tfjs-core';
import { efficientnet } from '@effnet/models';
import { cost, type ModelSpec } from '@effnet/scaling';
import { cosineLr, warmup } from '@effnet/schedules';
import { EffnetTrainError, Trainer, standardPrepare, type Batch, type BatchSource } from '@effnet/train';
import { EffnetSearchError } from './errors.js';

/** The proxy task candidates are trained and scored on. */
export interface ProxyTask {
  /** Training images (a few hundred to a few thousand). */
  train: BatchSource<Batch>;
  /** Validation images the accuracy is measured on (held out from `train`). */
  validation: BatchSource<Batch>;
  /** Classes. */
  numClasses: number;
  /** Per-channel mean (0-1 scale) to normalise with. */
  mean: number[];
  /** Per-channel standard deviation. */
  std: number[];
}

/** How long and how each candidate trains. */
export interface ProxyTraining {
  /** Optimiser steps per candidate (≥ 2: the first is not timed). */
  steps: number;
  /** Images per step. */
  batchSize: number;
  /** Peak AdamW learning rate (default 0.004). */
  lr?: number;
  /** Decoupled weight decay (default 0.02). */
  weightDecay?: number;
  /** Seed of the weights and the data order, the same for every candidate (default 0). */
  seed?: number;
}

/** What training a candidate measured. */
export interface CandidateMetrics {
  /** Top-1 accuracy on the validation images, in [0, 1]. */
  accuracy: number;
  /** Median training-step time after the first step, ms. */
  stepMs: number;
  /** Trainable parameters (cost model). */
  params: number;
  /** FLOPs of one image at the training resolution (cost model: 2 × conv and linear multiply-adds). */
  flops: number;
  /** Wall seconds of the whole evaluation (build, train, validate). */
  seconds: number;
  /** The tfjs backend the steps ran on. */
  backend: string;
  /** Why training stopped early (a non-finite loss); the accuracy is then 0. */
  failed?: string;
}

/** Checks the training options, naming the bad one. */
export function checkTraining(training: ProxyTraining): void {
  if (typeof training !== 'object' || training === null) throw new EffnetSearchError('training', 'needs { steps, batchSize }');
  if (!Number.isInteger(training.steps) || training.steps < 2) throw new EffnetSearchError('training.steps', `must be an integer ≥ 2 (the first step is not timed), got ${training.steps}`);
  if (!Number.isInteger(training.batchSize) || training.batchSize < 1) throw new EffnetSearchError('training.batchSize', `must be a positive integer, got ${training.batchSize}`);
  if (training.lr !== undefined && !(training.lr > 0 && Number.isFinite(training.lr))) throw new EffnetSearchError('training.lr', `must be a positive number, got ${training.lr}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Trains `spec` for `training.steps` steps on the proxy task and measures it.
 *
 * @throws EffnetSearchError for bad training options or a spec that does not fit the task.
 */
export async function trainCandidate(spec: ModelSpec, task: ProxyTask, training: ProxyTraining): Promise<CandidateMetrics> {
  checkTraining(training);
  if (spec.numClasses !== task.numClasses) throw new EffnetSearchError('spec.numClasses', `is ${spec.numClasses} but the task has ${task.numClasses} classes`);
  const started = performance.now();
  const imageSize = spec.resolution.train;
  const { params, macs } = cost(spec, { resolution: imageSize });
  const flops = 2 * macs;
  const seed = training.seed ?? 0;
  const model = efficientnet(spec, { seed });
  const warm = Math.max(1, Math.floor(training.steps / 10));
  const stepTimes: number[] = [];
  let trainer: Trainer | undefined;
  try {
    trainer = new Trainer({
      model, train: task.train, numClasses: task.numClasses, batchSize: training.batchSize, seed,
      plan: [{ index: 0, startStep: 0, steps: training.steps, imageSize, dropout: spec.dropout, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 }],
      lr: warmup(cosineLr({ base: training.lr ?? 0.004, steps: Math.max(1, training.steps - warm) }), { steps: warm }),
      optimizer: { kind: 'adamw', weightDecay: training.weightDecay ?? 0.02 },
      prepare: standardPrepare({ numClasses: task.numClasses, mean: task.mean, std: task.std, labelSmoothing: 0 }),
      divergence: false,
      callbacks: { onStep: (info) => void stepTimes.push((training.batchSize / info.imagesPerSecond) * 1000) },
    });
    const backend = tf.getBackend();
    try {
      await trainer.fit();
    } catch (error) {
      if (!(error instanceof EffnetTrainError)) throw error;
      return { accuracy: 0, stepMs: median(stepTimes.length > 1 ? stepTimes.slice(1) : stepTimes.length ? stepTimes : [1]), params, flops, seconds: (performance.now() - started) / 1000, backend, failed: error.message };
    }
    const evaluation = await trainer.evaluate(task.validation, { useEma: false, imageSize });
    return { accuracy: evaluation.top1, stepMs: median(stepTimes.slice(1)), params, flops, seconds: (performance.now() - started) / 1000, backend };
  } finally {
    trainer?.dispose();
    model.dispose();
  }
}

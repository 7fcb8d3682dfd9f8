// Trains a small EfficientDet on generated shapes-on-photographs and evaluates COCO AP on held-out
// images (issue 8, acceptance 3), through @effnet/train's Trainer: the samples become a
// DetectionDataset, `prepare` turns bytes into the backbone's input, and the `loss` hook is
// EfficientDet.loss (anchor matching, focal + Huber). AdamW, gradients clipped by global norm, linear
// warm-up and a cosine decay, optional weight EMA and checkpoints all come from the Trainer; logging
// and the time budget are callbacks.
import * as tf from '@tensorflow/tfjs-core';
import { EfficientDet, customDetectorSpec, evaluateCoco, preprocess, type CocoMetrics, type CustomDetectorOptions, type LabelledBox } from '@effnet/models';
import { cost, type DetectorSpec } from '@effnet/scaling';
import { DetectionDataset, type DetectionBatch } from '@effnet/data';
import { progressiveStages, toStepStages } from '@effnet/schedules';
import { Trainer } from '@effnet/train';
import { fileCheckpointStore } from '@effnet/train/node';
import type { DetectionSample } from './generate.js';

/** Options of {@link trainDetector}. */
export interface TrainDetectorOptions {
  /** Training images. */
  train: readonly DetectionSample[];
  /** Held-out images, evaluated at the end. */
  validation: readonly DetectionSample[];
  /** Image side of the samples. */
  size: number;
  /** Number of classes. */
  numClasses: number;
  /** Training time budget in seconds (evaluation comes after it). */
  seconds: number;
  /** Images per step (default 8). */
  batch?: number;
  /** Peak learning rate (default 4e-3). */
  learningRate?: number;
  /** Warm-up steps (default 30). */
  warmupSteps?: number;
  /** Seed of weights and batch order (default 0). */
  seed?: number;
  /** Detector overrides (default: B0 backbone at width 0.25 and depth 0.25, BiFPN 32×1, head 1, P3-P5). */
  detector?: CustomDetectorOptions;
  /**
   * Steps of the run (the cosine decays over them). Default: as many as fit in `seconds`, estimated
   * at step 20 from the speed since step 5 and re-estimated every 100 steps (the machine's load
   * changes); training stops when the budget is spent in any case.
   */
  maxSteps?: number;
  /** Weight EMA decay, evaluated with the averaged weights (default: no EMA). */
  ema?: number;
  /** Write Trainer checkpoints (weights, optimiser, EMA, step) here at the end, or on stop. */
  checkpointDir?: string;
  /** Called every `logEvery` steps and at the end. */
  onLog?: (line: string) => void;
  /** Steps between log lines (default 25). */
  logEvery?: number;
  /** Called with the trained detector (EMA weights in it, if any) after evaluation, before it is disposed (to save it). */
  onTrained?: (model: EfficientDet) => Promise<void>;
}

/** What a training run reports. */
export interface TrainDetectorReport {
  /** The detector trained. */
  spec: DetectorSpec;
  /** Its trainable parameters. */
  params: number;
  /** Optimiser steps taken. */
  steps: number;
  /** Steps the learning-rate schedule was planned for (the last estimate without `maxSteps`). */
  plannedSteps: number;
  /** Seconds spent training. */
  trainSeconds: number;
  /** Seconds spent evaluating. */
  evalSeconds: number;
  /** Mean loss of the first and of the last 25 steps (a quarter of the steps in runs under 100). */
  loss: { first: number; last: number };
  /** COCO metrics on the held-out images. */
  metrics: CocoMetrics;
}

/** The default small detector of the training run. */
export function trainingDetectorSpec(numClasses: number, size: number, overrides: CustomDetectorOptions = {}): DetectorSpec {
  return customDetectorSpec({
    backboneWidth: 0.25, backboneDepth: 0.25, channels: 32, bifpnLayers: 1, headLayers: 1, maxLevel: 5, name: 'efficientdet-shapes', ...overrides, numClasses, resolution: size,
  });
}

/** What `prepare` gives the loss: the backbone's input and the boxes of each image. */
interface PreparedDetection {
  images: tf.Tensor4D;
  boxes: LabelledBox[][];
}

function samplesDataset(name: string, samples: readonly DetectionSample[], size: number, numClasses: number): DetectionDataset {
  return new DetectionDataset({
    name, images: samples.map((s) => s.pixels), boxes: samples.map((s) => s.boxes), imageShape: [size, size, 3],
    classNames: Array.from({ length: numClasses }, (_, i) => `class ${i}`),
  });
}

/** Learning rate at `step`: linear warm-up, then half a cosine down to 0 at `steps`. */
export function detectorLearningRate(step: number, peak: number, warmupSteps: number, steps: number): number {
  return peak * Math.min(1, (step + 1) / warmupSteps) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, step / steps)));
}

/**
 * Trains and evaluates. The active tfjs backend is used as it is (select wasm first, with
 * `@effnet/backend-wasm` imported so convolution gradients exist).
 */
export async function trainDetector(options: TrainDetectorOptions): Promise<TrainDetectorReport> {
  const { validation, size, numClasses, seconds, batch = 8, learningRate = 4e-3, warmupSteps = 30, seed = 0, maxSteps, onLog, logEvery = 25 } = options;
  const spec = trainingDetectorSpec(numClasses, size, options.detector);
  const train = samplesDataset('train', options.train, size, numClasses);
  const model = new EfficientDet(spec, { seed });
  const params = model.countParams();
  if (params !== cost(spec).params) throw new Error(`built model has ${params} parameters, cost() says ${cost(spec).params}`);
  // Without maxSteps the plan is open-ended until the speed is known (at step 20), then re-estimated.
  const calibrateAt = 20;
  let plannedSteps = maxSteps ?? Number.MAX_SAFE_INTEGER;
  const losses: number[] = [];
  const start = performance.now();
  const elapsed = (): number => (performance.now() - start) / 1000;
  let calibrationStart = 0;
  const trainer: Trainer<EfficientDet, DetectionBatch, PreparedDetection> = new Trainer({
    model, train, numClasses, batchSize: batch, seed,
    plan: toStepStages(progressiveStages({ stages: 1, totalSteps: maxSteps ?? Number.MAX_SAFE_INTEGER, from: { imageSize: size }, to: { imageSize: size } })),
    lr: (step) => detectorLearningRate(step, learningRate, warmupSteps, plannedSteps),
    optimizer: { kind: 'adamw', weightDecay: 1e-4 },
    clipNorm: 10,
    ema: options.ema ? { decay: options.ema } : undefined,
    checkpoints: options.checkpointDir ? { store: fileCheckpointStore(options.checkpointDir), keep: 1 } : undefined,
    prepare: (b) => ({ images: preprocess(tf.tensor4d(b.images, [b.count, ...b.imageShape], 'float32'), spec.backbone), boxes: b.boxes }),
    loss: (detector, prepared, { seed: stepSeed }) => detector.loss(prepared.images, prepared.boxes, { seed: stepSeed }).total,
    callbacks: {
      onStep: ({ step, loss, lr }) => {
        losses.push(loss);
        if (maxSteps === undefined && step === 5) calibrationStart = elapsed();
        if (maxSteps === undefined && (step === calibrateAt || (step > calibrateAt && step % 100 === 0))) {
          const perStep = (elapsed() - calibrationStart) / (step - 5);
          plannedSteps = step + Math.max(1, Math.floor((seconds - elapsed()) / perStep));
          if (step === calibrateAt || step % 500 === 0) onLog?.(`${perStep.toFixed(3)} s per step: planning ${plannedSteps} steps in ${seconds} s`);
        }
        if (step % logEvery === 0) onLog?.(`step ${step}  loss ${loss.toFixed(4)}  lr ${lr.toExponential(2)}  ${elapsed().toFixed(0)} s`);
        if (step >= plannedSteps || elapsed() >= seconds) trainer.stop();
      },
    },
  });
  try {
    await trainer.fit();
    const steps = trainer.step;
    const trainSeconds = elapsed();
    const evalStart = performance.now();
    const metrics = await trainer.withAveragedWeights(async () => {
      const detections = [];
      for (let i = 0; i < validation.length; i += batch) {
        const chunk = validation.slice(i, i + batch);
        const data = new Float32Array(chunk.length * size * size * 3);
        chunk.forEach((s, j) => data.set(s.pixels, j * size * size * 3));
        const pixels = tf.tensor4d(data, [chunk.length, size, size, 3]);
        try {
          detections.push(...(await model.detect(pixels, { scoreThreshold: 0.01 })));
        } finally {
          pixels.dispose();
        }
      }
      const result = evaluateCoco(detections, validation.map((s) => s.boxes));
      await options.onTrained?.(model);
      return result;
    });
    const evalSeconds = (performance.now() - evalStart) / 1000;
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const window = Math.max(1, Math.min(25, Math.floor(steps / 4)));
    const report = { spec, params, steps, plannedSteps: plannedSteps === Number.MAX_SAFE_INTEGER ? steps : plannedSteps, trainSeconds, evalSeconds, loss: { first: mean(losses.slice(0, window)), last: mean(losses.slice(-window)) }, metrics };
    onLog?.(`done: ${steps} steps in ${trainSeconds.toFixed(0)} s, eval ${evalSeconds.toFixed(0)} s; AP ${metrics.ap.toFixed(3)}  AP50 ${metrics.ap50.toFixed(3)}  AP75 ${metrics.ap75.toFixed(3)}`);
    return report;
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

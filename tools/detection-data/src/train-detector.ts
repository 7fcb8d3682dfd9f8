// Trains a small EfficientDet on generated shapes-on-photographs and evaluates COCO AP on held-out
// images (issue 8, acceptance 3). The loop is short on purpose (STYLE.md rule 7): batch, loss
// (focal + Huber through EfficientDet.loss), gradients clipped by global norm, AdamW from
// @effnet/train with linear warm-up and a cosine decay over the time budget; logging is a callback.
import * as tf from '@tensorflow/tfjs-core';
import { EfficientDet, customDetectorSpec, evaluateCoco, preprocess, type CocoMetrics, type CustomDetectorOptions, type LabelledBox } from '@effnet/models';
import { cost, type DetectorSpec } from '@effnet/scaling';
import { clipByGlobalNorm, createOptimizer } from '@effnet/train';
import type { DetectionSample } from './generate.js';
import { SeededRng } from './seeded-rng.js';

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
  /** Stop after this many steps even if time remains (default: no limit). */
  maxSteps?: number;
  /** Called every `logEvery` steps and at the end. */
  onLog?: (line: string) => void;
  /** Steps between log lines (default 25). */
  logEvery?: number;
  /** Called with the trained detector after evaluation, before it is disposed (to save it). */
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

function batchTensor(samples: readonly DetectionSample[], size: number): tf.Tensor4D {
  const data = new Float32Array(samples.length * size * size * 3);
  samples.forEach((s, i) => data.set(s.pixels, i * size * size * 3));
  return tf.tensor4d(data, [samples.length, size, size, 3]);
}

/**
 * Trains and evaluates. The active tfjs backend is used as it is (select wasm first, with
 * `@effnet/backend-wasm` imported so convolution gradients exist).
 */
export async function trainDetector(options: TrainDetectorOptions): Promise<TrainDetectorReport> {
  const { train, validation, size, numClasses, seconds, batch = 8, learningRate = 4e-3, warmupSteps = 30, seed = 0, maxSteps = Infinity, onLog, logEvery = 25 } = options;
  const spec = trainingDetectorSpec(numClasses, size, options.detector);
  const model = new EfficientDet(spec, { seed });
  const params = model.countParams();
  if (params !== cost(spec).params) throw new Error(`built model has ${params} parameters, cost() says ${cost(spec).params}`);
  const optimizer = createOptimizer({ kind: 'adamw', weightDecay: 1e-4 });
  const variables = model.trainableVariables();
  const rng = new SeededRng(seed ^ 0x9e3779b9);
  const losses: number[] = [];
  let order: number[] = [];
  let steps = 0;
  const start = performance.now();
  const elapsed = (): number => (performance.now() - start) / 1000;
  try {
    while (elapsed() < seconds && steps < maxSteps) {
      if (order.length < batch) {
        order = train.map((_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const j = rng.int(0, i);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
      }
      const picked = order.splice(0, batch).map((i) => train[i]!);
      const boxes: LabelledBox[][] = picked.map((s) => s.boxes);
      const progress = Math.min(1, elapsed() / seconds);
      const lr = learningRate * Math.min(1, (steps + 1) / warmupSteps) * 0.5 * (1 + Math.cos(Math.PI * progress));
      optimizer.setLearningRate(lr);
      const pixels = batchTensor(picked, size);
      const lossValue = tf.tidy(() => {
        const input = preprocess(pixels, spec.backbone);
        const { value, grads } = tf.variableGrads(() => model.loss(input, boxes, { seed: steps }).total, variables);
        optimizer.apply(clipByGlobalNorm(grads, 10), variables);
        return value;
      });
      pixels.dispose();
      const loss = (await lossValue.data())[0]!;
      lossValue.dispose();
      if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} at step ${steps}; lower the learning rate`);
      losses.push(loss);
      steps++;
      if (steps % logEvery === 0) onLog?.(`step ${steps}  loss ${loss.toFixed(4)}  lr ${lr.toExponential(2)}  ${elapsed().toFixed(0)} s`);
    }
    const trainSeconds = elapsed();
    const evalStart = performance.now();
    const detections = [];
    for (let i = 0; i < validation.length; i += batch) {
      const chunk = validation.slice(i, i + batch);
      const pixels = batchTensor(chunk, size);
      try {
        detections.push(...(await model.detect(pixels, { scoreThreshold: 0.01 })));
      } finally {
        pixels.dispose();
      }
    }
    const metrics = evaluateCoco(detections, validation.map((s) => s.boxes));
    const evalSeconds = (performance.now() - evalStart) / 1000;
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const window = Math.max(1, Math.min(25, Math.floor(steps / 4)));
    const report = { spec, params, steps, trainSeconds, evalSeconds, loss: { first: mean(losses.slice(0, window)), last: mean(losses.slice(-window)) }, metrics };
    await options.onTrained?.(model);
    onLog?.(`done: ${steps} steps in ${trainSeconds.toFixed(0)} s, eval ${evalSeconds.toFixed(0)} s; AP ${metrics.ap.toFixed(3)}  AP50 ${metrics.ap50.toFixed(3)}  AP75 ${metrics.ap75.toFixed(3)}`);
    return report;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

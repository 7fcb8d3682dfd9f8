// The training loop of @effnet/train, kept short: take a batch, take a step,
// tell the callbacks. It knows nothing about architectures or tasks: a model's variables, a source
// of batches, a `prepare` hook (bytes → tensors), a `loss` hook (softmax cross-entropy of a
// classifier by default; a detector passes its focal + box loss), an optimiser, a learning-rate
// schedule and a progressive plan (EfficientNetV2, Algorithm 1: each stage sets the image size and
// the regularisation). Every random choice derives from the seed and
// the step, so a run resumed from a checkpoint continues exactly as if it had never stopped.
import * as tf from '@tensorflow/tfjs-core';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint, type TensorData } from './checkpoints.js';
import type { Batch, BatchSource, Dataset } from './datasets/dataset.js';
import { EffnetTrainError } from './errors.js';
import { topKHits, confusionMatrix } from './metrics.js';
import { createOptimizer, type OptimizerConfig, type TrainOptimizer } from './optimizers.js';
import type { ModelVariables, TrainableModel } from './trainable-model.js';
import { WeightAverage } from './weight-average.js';

/** One stage of a progressive plan, as `@effnet/schedules`' `progressiveStages` makes them. */
export interface TrainStage {
  /** First optimiser step of the stage. */
  startStep: number;
  /** Steps in the stage. */
  steps: number;
  /** Square image size of the stage. */
  imageSize: number;
  /** Dropout before the classifier. */
  dropout?: number;
  /** Largest drop-path rate. */
  dropPath?: number;
  /** RandAugment magnitude (0-30), used by an `augment` hook. */
  randAugmentMagnitude?: number;
  /** Mixup alpha (0 = off), used by an `augment` hook. */
  mixupAlpha?: number;
}

/** A prepared batch: float NHWC images and soft targets `[batch, classes]`. */
export interface PreparedBatch {
  /** Model input. */
  images: tf.Tensor4D;
  /** Target distribution per example (one-hot, smoothed or mixed). */
  targets: tf.Tensor2D;
}

/**
 * Turns raw bytes into model input for a stage (resize, normalise, augment). Runs inside a tidy.
 * `B` is the batch the data yields, `P` what the loss takes (classification: {@link PreparedBatch}).
 */
export type PrepareBatch<B = Batch, P = PreparedBatch> = (batch: B, context: { stage: TrainStage; step: number; seed: number; training: boolean }) => P;

/** What a {@link TrainLoss} is told about the step. */
export interface LossContext {
  /** The stage in force (dropout and drop-path rates, image size). */
  stage: TrainStage;
  /** Steps completed before this one. */
  step: number;
  /** Seed of this step's random masks. */
  seed: number;
}

/**
 * The training loss of one prepared batch, a scalar computed from the model's variables (the
 * trainer takes its gradients). Runs inside `tf.variableGrads`, so intermediates are freed.
 */
export type TrainLoss<M = TrainableModel, P = PreparedBatch> = (model: M, batch: P, context: LossContext) => tf.Scalar;

/**
 * The default loss: softmax cross-entropy of the classifier's training-mode logits against the
 * prepared targets (one-hot, label-smoothed or mixed by `prepare`), with the stage's dropout and
 * drop path.
 */
export function crossEntropyLoss(model: TrainableModel, batch: PreparedBatch, context: LossContext): tf.Scalar {
  const { stage, seed } = context;
  const logits = model.forward(batch.images, { training: true, dropout: stage.dropout, dropPath: stage.dropPath, seed });
  return tf.losses.softmaxCrossEntropy(batch.targets, logits) as tf.Scalar;
}

/** What `onStep` receives after every optimiser step. */
export interface StepInfo {
  /** Steps completed (1 after the first). */
  step: number;
  /** Total steps of the run. */
  totalSteps: number;
  /** 0-based epoch. */
  epoch: number;
  /** Index of the stage in the plan. */
  stage: number;
  /** Image size of the stage. */
  imageSize: number;
  /** Training loss of the batch. */
  loss: number;
  /** Learning rate used. */
  lr: number;
  /** Throughput over the step. */
  imagesPerSecond: number;
}

/** Result of an evaluation pass. */
export interface Evaluation {
  /** Mean cross-entropy. */
  loss: number;
  /** Top-1 accuracy in [0, 1]. */
  top1: number;
  /** Top-5 accuracy in [0, 1] (equals 1 with 5 classes or fewer). */
  top5: number;
  /** Examples seen. */
  count: number;
  /** `confusion[truth][predicted]`. */
  confusion: number[][];
}

/** Hooks for logging, progress, evaluation and checkpoints. */
export interface TrainerCallbacks {
  /** A stage begins (also at step 0 and after a resume). */
  onStageStart?(stage: TrainStage, index: number): void;
  /** A step finished. */
  onStep?(info: StepInfo): void | Promise<void>;
  /** An epoch finished. */
  onEpochEnd?(epoch: number, step: number): void | Promise<void>;
  /** A checkpoint was written. */
  onCheckpoint?(path: string, step: number): void;
}

/**
 * Everything a training run needs. `M` is the model, `B` the batches of the data, `P` what
 * `prepare` makes of them; the defaults are a classifier on a classification {@link Dataset}.
 */
export interface TrainerOptions<M extends ModelVariables = TrainableModel, B extends { count: number } = Batch, P = PreparedBatch> {
  /** The model to train. */
  model: M;
  /** Training data. */
  train: BatchSource<B>;
  /** Number of classes (the width of the targets, ≥ 2; with a `loss` hook, e.g. a detector's object classes, ≥ 1). */
  numClasses: number;
  /** Examples per step. */
  batchSize: number;
  /** The progressive plan; one stage is the fixed-size baseline. Stages must cover every step. */
  plan: TrainStage[];
  /** Learning rate as a function of the step. */
  lr: (step: number) => number;
  /** Optimiser (default SGD with momentum 0.9). */
  optimizer?: OptimizerConfig;
  /** L2 weight decay added to the loss for conv and linear kernels (default 0). */
  weightDecay?: number;
  /** Clip gradients to this global norm (default: no clipping). */
  clipNorm?: number;
  /** Exponential moving average of the weights (default: none). */
  ema?: { decay: number; warmup?: boolean };
  /** Turns bytes into model input. */
  prepare: PrepareBatch<B, P>;
  /**
   * The loss of a prepared batch (default {@link crossEntropyLoss}, which needs a classifier and
   * {@link PreparedBatch}es). Weight decay is added by the trainer.
   */
  loss?: TrainLoss<M, P>;
  /** Seed of data order, augmentation and dropout masks. */
  seed?: number;
  /** Where checkpoints go; with `every`, also how often (steps) and how many to keep. */
  checkpoints?: { dir: string; every?: number; keep?: number };
  /** Hooks. */
  callbacks?: TrainerCallbacks;
}

/**
 * tfjs-core alone registers no gradient functions. Node apps get them by importing
 * `@tensorflow/tfjs` (or tfjs-node) once; bundled apps by importing
 * `@tensorflow/tfjs-core/dist/register_all_gradients`.
 */
function requireGradients(): void {
  if (!tf.getGradient(tf.Conv2D)) {
    throw new EffnetTrainError(
      'gradients',
      "tfjs has no gradient functions registered: in Node, `import '@tensorflow/tfjs'` once (or use tfjs-node); " +
        "in a bundled app, `import '@tensorflow/tfjs-core/dist/register_all_gradients'`",
    );
  }
}

/** Resolves after pending timers and I/O callbacks have had their turn. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Mixes the seed and the step into a 31-bit seed for one step's random choices. */
export function stepSeed(seed: number, step: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ step, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Trains a model; `fit()` runs to the end of the plan or until `stop()` is called. */
export class Trainer<M extends ModelVariables = TrainableModel, B extends { count: number } = Batch, P = PreparedBatch> {
  /** Optimiser steps taken so far. */
  step = 0;
  // Kept without M, so a Trainer of a subtype (an EfficientNet) is a Trainer of TrainableModel.
  private readonly options: TrainerOptions<ModelVariables, B, P>;
  private readonly loss: TrainLoss<ModelVariables, P>;
  private readonly optimizer: TrainOptimizer;
  private readonly average: WeightAverage | null;
  private readonly stepsPerEpoch: number;
  private stopRequested = false;

  constructor(options: TrainerOptions<M, B, P>) {
    const { batchSize, train, plan, numClasses } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new EffnetTrainError('batchSize', `must be a positive integer, got ${batchSize}`);
    const fewest = options.loss ? 1 : 2; // a detector may find one class; a classifier needs two
    if (!Number.isInteger(numClasses) || numClasses < fewest) throw new EffnetTrainError('numClasses', `must be an integer ≥ ${fewest}, got ${numClasses}`);
    if (train.size < batchSize) throw new EffnetTrainError('batchSize', `${batchSize} is larger than the ${train.size} training examples`);
    if (plan.length === 0) throw new EffnetTrainError('plan', 'needs at least one stage');
    plan.forEach((stage, i) => {
      const expected = i === 0 ? 0 : plan[i - 1]!.startStep + plan[i - 1]!.steps;
      if (stage.startStep !== expected || !(stage.steps > 0)) {
        throw new EffnetTrainError('plan', `stage ${i} starts at step ${stage.startStep} with ${stage.steps} steps; stages must follow each other from step 0`);
      }
    });
    if (options.loss !== undefined && typeof options.loss !== 'function') throw new EffnetTrainError('loss', 'must be a function (model, batch, context) => scalar, or left out for cross-entropy');
    if (!options.loss && typeof (options.model as Partial<TrainableModel>).forward !== 'function') {
      throw new EffnetTrainError('loss', 'the model has no forward() returning logits, so the default cross-entropy cannot train it: pass a `loss` hook');
    }
    requireGradients();
    this.options = options as unknown as TrainerOptions<ModelVariables, B, P>;
    this.loss = (options.loss ?? crossEntropyLoss) as unknown as TrainLoss<ModelVariables, P>;
    this.stepsPerEpoch = Math.floor(train.size / batchSize);
    this.optimizer = createOptimizer(options.optimizer ?? { kind: 'sgd', momentum: 0.9 });
    this.average = options.ema ? new WeightAverage(options.model.namedVariables(), options.ema.decay, options.ema.warmup ?? true) : null;
  }

  /** Steps of the whole plan. */
  get totalSteps(): number {
    const last = this.options.plan.at(-1)!;
    return last.startStep + last.steps;
  }

  /** The stage in force at `step`. */
  stageAt(step: number): { stage: TrainStage; index: number } {
    const plan = this.options.plan;
    const index = plan.findIndex((stage) => step < stage.startStep + stage.steps);
    const i = index < 0 ? plan.length - 1 : index;
    return { stage: plan[i]!, index: i };
  }

  /** Asks `fit()` to stop after the step in progress (and write a checkpoint if it can). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Runs the plan from `this.step` to the end, or until `stop()`. */
  async fit(): Promise<{ steps: number; stopped: boolean }> {
    const { train, batchSize, callbacks = {}, checkpoints } = this.options;
    const seed = this.options.seed ?? 0;
    this.stopRequested = false;
    let batches: AsyncIterator<B> | null = null;
    let stageIndex = -1;
    while (this.step < this.totalSteps && !this.stopRequested) {
      const epoch = Math.floor(this.step / this.stepsPerEpoch);
      const position = this.step % this.stepsPerEpoch;
      if (!batches || position === 0) {
        batches = train.batches({ batchSize, seed: stepSeed(seed, epoch), dropLast: true })[Symbol.asyncIterator]();
        for (let i = 0; i < position; i++) await batches.next(); // resume mid-epoch on the same order
      }
      const { value: batch, done } = await batches.next();
      if (done) throw new EffnetTrainError('train', `the dataset ended before step ${this.step} of epoch ${epoch}`);
      const { stage, index } = this.stageAt(this.step);
      if (index !== stageIndex) {
        stageIndex = index;
        callbacks.onStageStart?.(stage, index);
      }
      const started = performance.now();
      const lr = this.options.lr(this.step);
      const loss = this.trainStep(batch, stage, lr, stepSeed(seed ^ 0x5bd1e995, this.step));
      this.average?.update();
      this.step += 1;
      const seconds = (performance.now() - started) / 1000;
      await callbacks.onStep?.({
        step: this.step, totalSteps: this.totalSteps, epoch, stage: index, imageSize: stage.imageSize, loss, lr,
        imagesPerSecond: batch.count / Math.max(seconds, 1e-9),
      });
      if (this.step % this.stepsPerEpoch === 0) await callbacks.onEpochEnd?.(epoch, this.step);
      // Let timers and signal handlers run (progress bars redraw, Ctrl-C calls stop()) before
      // deciding on a checkpoint: a step only awaits promises, which keep the event loop from them.
      await yieldToEventLoop();
      const stageEnds = this.step === stage.startStep + stage.steps;
      if (checkpoints && ((checkpoints.every && this.step % checkpoints.every === 0) || stageEnds || this.stopRequested)) {
        const path = await this.saveCheckpoint(checkpoints.dir, checkpoints.keep);
        callbacks.onCheckpoint?.(path, this.step);
      }
    }
    return { steps: this.step, stopped: this.step < this.totalSteps };
  }

  /** One optimiser step on one batch; returns the loss. */
  private trainStep(batch: B, stage: TrainStage, lr: number, seed: number): number {
    const { model, prepare, weightDecay = 0, clipNorm } = this.options;
    const variables = model.trainableVariables();
    this.optimizer.setLearningRate(lr);
    const lossValue = tf.tidy(() => {
      const prepared = prepare(batch, { stage, step: this.step, seed, training: true });
      const { value, grads } = tf.variableGrads(() => {
        let loss = this.loss(model, prepared, { stage, step: this.step, seed });
        if (weightDecay > 0) {
          const kernels = variables.filter((v) => v.shape.length > 1);
          loss = tf.add(loss, tf.mul(weightDecay / 2, tf.addN(kernels.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
        }
        return loss;
      }, variables);
      const clipped = clipNorm ? clipByGlobalNorm(grads, clipNorm) : grads;
      this.optimizer.apply(clipped, variables);
      return value;
    });
    const loss = lossValue.dataSync()[0]!;
    lossValue.dispose();
    if (!Number.isFinite(loss)) {
      throw new EffnetTrainError('loss', `became ${loss} at step ${this.step}: lower the learning rate or enable clipNorm`);
    }
    return loss;
  }

  /**
   * Loss, top-1, top-5 and the confusion matrix over a classification dataset, with EMA weights if
   * asked. Classifiers only; other tasks evaluate inside {@link Trainer.withAveragedWeights}.
   *
   * @throws EffnetTrainError when the model is not a classifier (has no `forward`).
   */
  async evaluate(data: Dataset, options: { batchSize?: number; useEma?: boolean; imageSize?: number } = {}): Promise<Evaluation> {
    const { numClasses } = this.options;
    const model = this.options.model as unknown as TrainableModel;
    const prepare = this.options.prepare as unknown as PrepareBatch;
    if (typeof model.forward !== 'function') throw new EffnetTrainError('evaluate', 'classifiers only (the model has no forward() giving logits); evaluate other tasks in withAveragedWeights()');
    const { stage } = this.stageAt(Math.max(0, this.totalSteps - 1));
    const evalStage = { ...stage, imageSize: options.imageSize ?? stage.imageSize };
    const useEma = options.useEma ?? this.average !== null;
    if (useEma && !this.average) throw new EffnetTrainError('useEma', 'this trainer keeps no EMA: pass `ema` in the options');
    if (useEma) this.average!.swapIn();
    let lossSum = 0;
    let top1 = 0;
    let top5 = 0;
    let count = 0;
    const predicted: number[] = [];
    const labels: number[] = [];
    try {
      for await (const batch of data.batches({ batchSize: options.batchSize ?? 256 })) {
        const [logits, losses] = tf.tidy(() => {
          const { images, targets } = prepare(batch, { stage: evalStage, step: 0, seed: 0, training: false });
          const out = model.forward(images, { training: false });
          return [out, tf.losses.softmaxCrossEntropy(targets, out, undefined, undefined, tf.Reduction.NONE)] as const;
        });
        const values = await logits.data();
        const perExample = await losses.data();
        tf.dispose([logits, losses]);
        for (const v of perExample) lossSum += v;
        top1 += topKHits(values, batch.labels, numClasses, 1);
        top5 += topKHits(values, batch.labels, numClasses, Math.min(5, numClasses));
        for (let row = 0; row < batch.count; row++) {
          let best = 0;
          for (let c = 1; c < numClasses; c++) if (values[row * numClasses + c]! > values[row * numClasses + best]!) best = c;
          predicted.push(best);
          labels.push(batch.labels[row]!);
        }
        count += batch.count;
      }
    } finally {
      if (useEma) this.average!.swapOut();
    }
    return { loss: lossSum / count, top1: top1 / count, top5: top5 / count, count, confusion: confusionMatrix(predicted, labels, numClasses) };
  }

  /**
   * Runs `fn` with the EMA weights in the model (the live weights are put back afterwards, even if
   * `fn` throws); without an EMA, runs `fn` on the live weights.
   */
  async withAveragedWeights<T>(fn: () => Promise<T> | T): Promise<T> {
    if (!this.average) return fn();
    this.average.swapIn();
    try {
      return await fn();
    } finally {
      this.average.swapOut();
    }
  }

  /** Writes weights, optimiser state, EMA and the step to `dir`; returns the checkpoint folder. */
  async saveCheckpoint(dir: string, keep = 3): Promise<string> {
    const tensors: Record<string, TensorData> = {};
    const put = async (name: string, t: tf.Tensor) => {
      const values = await t.data();
      tensors[name] = { shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32', values: values as Float32Array | Int32Array };
    };
    for (const [name, v] of Object.entries(this.options.model.namedVariables())) await put(`model/${name}`, v);
    const optimizerWeights = await this.optimizer.optimizer.getWeights();
    for (const [i, { tensor }] of optimizerWeights.entries()) await put(`optimizer/${i}`, tensor);
    // getWeights returns the live slot variables plus a fresh scalar of the iteration count.
    for (const { tensor } of optimizerWeights) if (!(tensor instanceof tf.Variable)) tensor.dispose();
    const ema = this.average?.state();
    if (ema) for (const [name, v] of Object.entries(ema.shadows)) await put(`ema/${name}`, v);
    const { index } = this.stageAt(this.step);
    return saveCheckpoint(dir, { step: this.step, stage: index, state: { optimizerSlots: optimizerWeights.map((w) => w.name), emaUpdates: ema?.updates ?? 0 }, tensors }, keep);
  }

  /** Restores the newest checkpoint in `dir` (or a checkpoint folder); returns its step, or undefined when there is none. */
  async resume(dirOrCheckpoint: string): Promise<number | undefined> {
    const path = latestCheckpoint(dirOrCheckpoint) ?? (dirOrCheckpoint.match(/step-\d{9}$/) ? dirOrCheckpoint : undefined);
    if (!path) return undefined;
    const checkpoint = loadCheckpoint(path);
    const asTensor = (data: TensorData) => tf.tensor(data.values, data.shape, data.dtype);
    const variables = this.options.model.namedVariables();
    const missing = Object.keys(variables).filter((name) => !checkpoint.tensors[`model/${name}`]);
    if (missing.length > 0) throw new EffnetTrainError('resume', `${path} lacks ${missing.length} model variables: ${missing.slice(0, 5).join(', ')}…`);
    tf.tidy(() => {
      for (const [name, v] of Object.entries(variables)) v.assign(asTensor(checkpoint.tensors[`model/${name}`]!));
    });
    const slotNames = (checkpoint.state.optimizerSlots ?? []) as string[];
    if (slotNames.length > 0) {
      // tfjs optimisers match their slots to variables by position; the names are informative.
      const restored = slotNames.map((name, i) => ({ name, tensor: asTensor(checkpoint.tensors[`optimizer/${i}`]!) }));
      await this.optimizer.optimizer.setWeights(restored);
      tf.dispose(restored.map((r) => r.tensor));
    }
    if (this.average) {
      const values: Record<string, tf.Tensor> = {};
      for (const name of Object.keys(variables)) {
        const data = checkpoint.tensors[`ema/${name}`];
        if (data) values[name] = asTensor(data);
      }
      this.average.restore(Number(checkpoint.state.emaUpdates ?? 0), values);
      tf.dispose(Object.values(values));
    }
    this.step = checkpoint.step;
    return this.step;
  }

  /** Frees the optimiser state and the EMA copies (not the model). */
  dispose(): void {
    this.optimizer.dispose();
    this.average?.dispose();
  }
}

/** Scales every gradient by min(1, maxNorm / globalNorm). */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
    const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norm, 1e-12)));
    return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
  });
}

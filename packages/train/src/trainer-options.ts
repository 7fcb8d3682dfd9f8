// The Trainer's options and the types its hooks and callbacks see, with the checks that turn a
// bad option into an EffnetTrainError before any step runs. A stage of the plan is
// @effnet/schedules' own StepStage (image size and every regulariser of Algorithm 1's stage).
import type * as tf from '@tensorflow/tfjs-core';
import type { StepStage } from '@effnet/schedules';
import type { CheckpointStore } from './checkpoint-store.js';
import type { Batch, BatchSource } from './datasets/dataset.js';
import { EffnetTrainError } from './errors.js';
import type { OptimizerConfig } from './optimizers.js';
import type { ModelVariables, TrainableModel } from './trainable-model.js';

/** One stage of a progressive plan in optimiser steps: `@effnet/schedules`' `StepStage` (from `toStepStages`). */
export type TrainStage = StepStage;

/** A prepared batch: float NHWC images and soft targets `[batch, classes]`. */
export interface PreparedBatch {
  /** Model input. */
  images: tf.Tensor4D;
  /** Target distribution per example (one-hot, smoothed or mixed). */
  targets: tf.Tensor2D;
  /** What the batch's augmentation did (set by {@link standardPrepare}; the trainer counts it per stage). */
  applied?: AppliedAugmentation;
}

/** The augmentation one training batch received. */
export interface AppliedAugmentation {
  /** RandAugment operations per image (0 when off). */
  randAugmentOps: number;
  /** RandAugment magnitude used (0-30). */
  randAugmentMagnitude: number;
  /** Which mixing the batch got. */
  mix: 'none' | 'mixup' | 'cutmix';
  /** Weight of each image's own label (1 without mixing). */
  lambda: number;
}

/** Per stage, what the trainer applied: counts of batches by augmentation. */
export interface StageAugmentation {
  /** Batches trained in the stage (this run; a resumed run counts from the resume). */
  batches: number;
  /** Batches that got RandAugment. */
  randAugment: number;
  /** Batches mixed by Mixup. */
  mixup: number;
  /** Batches mixed by CutMix. */
  cutmix: number;
  /** Mean λ of the mixed batches (1 when none was mixed). */
  meanLambda: number;
}

/** What `prepare` is told about the batch it turns into model input. */
export interface PrepareContext {
  /** The stage in force (image size, regularisation). */
  stage: TrainStage;
  /** Steps completed before this one (0 when evaluating). */
  step: number;
  /** Seed of this step's random choices (dropout masks derive from it too). */
  seed: number;
  /**
   * Seed of this step's augmentation (RandAugment ops, Mixup/CutMix λ and box), drawn from the
   * trainer's augmentation stream, whose position checkpoints save (default: `seed`).
   */
  augmentSeed?: number;
  /** Training (augment) or evaluation (don't). */
  training: boolean;
}

/**
 * Turns raw bytes into model input for a stage (resize, normalise, augment). Runs inside a tidy.
 * `B` is the batch the data yields, `P` what the loss takes (classification: {@link PreparedBatch}).
 */
export type PrepareBatch<B = Batch, P = PreparedBatch> = (batch: B, context: PrepareContext) => P;

/** What a {@link TrainLoss} is told about the step. */
export interface LossContext {
  /** The stage in force (dropout and drop-path rates, image size). */
  stage: TrainStage;
  /** Steps completed before this one. */
  step: number;
  /** Seed of this step's random masks. */
  seed: number;
  /** Batch norm uses its moving statistics and leaves them unchanged (fine-tuning with `freeze: 'bn'` or `'backbone'`). */
  frozenBatchNorm?: boolean;
}

/**
 * The training loss of one prepared batch, a scalar computed from the model's variables (the
 * trainer takes its gradients). Runs inside `tf.variableGrads`, so intermediates are freed.
 */
export type TrainLoss<M = TrainableModel, P = PreparedBatch> = (model: M, batch: P, context: LossContext) => tf.Scalar;

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
  /** What augmentation the batch got (when `prepare` says). */
  applied?: AppliedAugmentation;
}

/** Hooks for logging, progress, evaluation and checkpoints. */
export interface TrainerCallbacks {
  /** A stage begins (also at step 0 and after a resume). */
  onStageStart?(stage: TrainStage, index: number): void;
  /** A step finished. */
  onStep?(info: StepInfo): void | Promise<void>;
  /** A stage ended (its last step is done): what was applied in it. */
  onStageEnd?(stage: TrainStage, index: number, applied: StageAugmentation): void | Promise<void>;
  /** An epoch finished. */
  onEpochEnd?(epoch: number, step: number): void | Promise<void>;
  /** A checkpoint was written (`location` is what the store returned, e.g. a folder). */
  onCheckpoint?(location: string, step: number): void;
}

/** Where checkpoints go, how often and how many are kept. */
export interface CheckpointOptions {
  /** The store (`fileCheckpointStore(dir)` from `@effnet/train/node`, `memoryCheckpointStore()`, or your own). */
  store: CheckpointStore;
  /** Also write one every this many steps (stage ends and `stop()` always write one). */
  every?: number;
  /** Newest checkpoints kept (default 3). */
  keep?: number;
}

/**
 * Everything a training run needs. `M` is the model, `B` the batches of the data, `P` what
 * `prepare` makes of them; the defaults are a classifier on a classification `Dataset`.
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
  /** Exponential moving average of the weights (default: none; warm-up on unless `warmup: false`). */
  ema?: { decay: number; warmup?: boolean };
  /** Turns bytes into model input. */
  prepare: PrepareBatch<B, P>;
  /**
   * The loss of a prepared batch (default `crossEntropyLoss`, which needs a classifier and
   * {@link PreparedBatch}es). Weight decay is added by the trainer.
   */
  loss?: TrainLoss<M, P>;
  /** Seed of data order, augmentation and dropout masks. */
  seed?: number;
  /** Checkpoints: where, how often, how many. */
  checkpoints?: CheckpointOptions;
  /** Hooks. */
  callbacks?: TrainerCallbacks;
  /** Fine-tuning: which variables train, and the classifier's own learning rate (default: everything trains at `lr`). */
  fineTune?: FineTuneOptions;
  /**
   * Stops the run with an EffnetTrainError when the median loss of the last `window` steps exceeds
   * `factor` times the loss of the first step (default `{ window: 10, factor: 10 }`; `false` turns
   * it off). A non-finite loss or weight always stops the run.
   */
  divergence?: { window?: number; factor?: number } | false;
  /**
   * Data-parallel replicas (a `GradientPool` of worker threads or web workers): each step's
   * prepared batch is split between them and their gradients averaged before one update. Needs the
   * default cross-entropy loss. Default: none, everything runs on the calling thread.
   */
  replicas?: GradientReplicas;
}

/**
 * What the Trainer needs of data-parallel replicas (`GradientPool` is the implementation): start
 * once, then the averaged loss and gradients of each step's prepared batch.
 */
export interface GradientReplicas {
  /** Whether `start` has run. */
  readonly isStarted: boolean;
  /** Builds the replicas and lays out the shared buffers for `model`'s variables and the `trainable` ones. */
  start(model: TrainableModel, trainable: tf.Variable[]): Promise<void>;
  /** Loss and gradients (keyed by variable name) of the default loss plus weight decay, averaged over the replicas' shards. */
  gradients(model: TrainableModel, variables: tf.Variable[], batch: PreparedBatch, context: LossContext, weightDecay: number): Promise<{ loss: number; grads: tf.NamedTensorMap }>;
}

/** What a fine-tuning run freezes: nothing, batch norm (statistics and affine), or everything but the classifier. */
export type FreezeMode = 'none' | 'bn' | 'backbone';

/** The freezing modes, in order. */
export const FREEZE_MODES: readonly FreezeMode[] = ['none', 'bn', 'backbone'];

/**
 * Fine-tuning options of a Trainer (timm's freeze and head-LR recipes). `'bn'` runs batch norm on
 * its moving statistics (never updated) and does not train its γ and β, like timm's
 * FrozenBatchNorm2d; `'backbone'` trains the classifier alone, with batch norm frozen too, so the
 * features it learns on stay exactly the imported ones.
 */
export interface FineTuneOptions {
  /** What to freeze (default `'none'`). */
  freeze?: FreezeMode;
  /** Learning rate of the classifier's variables per step (default: `lr`). */
  headLr?: (step: number) => number;
  /** Which variables are the classifier, by name (default: names starting `classifier.`). */
  isHead?: (name: string) => boolean;
  /** Which variables are batch-norm γ and β, by name (default: names ending `bn.gamma` or `bn.beta`). */
  isBatchNorm?: (name: string) => boolean;
}

/** Throws an EffnetTrainError naming the first option a Trainer cannot run with. */
export function checkTrainerOptions(options: TrainerOptions<ModelVariables, { count: number }, unknown>): void {
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
  if (options.replicas && options.loss) throw new EffnetTrainError('replicas', 'data-parallel replicas train with the default cross-entropy loss only: leave out `loss`, or train without replicas');
  if (options.divergence) {
    const { window = 10, factor = 10 } = options.divergence;
    if (!Number.isInteger(window) || window < 1) throw new EffnetTrainError('divergence.window', `must be a positive integer, got ${window}`);
    if (!(factor > 1) || !Number.isFinite(factor)) throw new EffnetTrainError('divergence.factor', `must be a finite number above 1, got ${factor}`);
  }
  if (options.fineTune) {
    const { freeze = 'none', headLr } = options.fineTune;
    if (!FREEZE_MODES.includes(freeze)) throw new EffnetTrainError('fineTune.freeze', `must be one of ${FREEZE_MODES.join(', ')}, got '${String(freeze)}'`);
    if (headLr !== undefined && typeof headLr !== 'function') throw new EffnetTrainError('fineTune.headLr', 'must be a function of the step, like lr');
  }
  if (options.checkpoints && typeof options.checkpoints.store?.save !== 'function') {
    throw new EffnetTrainError('checkpoints', 'needs a `store` (fileCheckpointStore(dir) from @effnet/train/node in Node, memoryCheckpointStore() anywhere)');
  }
}

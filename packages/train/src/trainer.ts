// The training loop of @effnet/train, kept short: take a batch, take a step, tell the callbacks. It
// knows nothing about architectures, tasks or files: a model's variables, a source of batches, a
// `prepare` hook (bytes → tensors), a `loss` hook (softmax cross-entropy of a classifier by
// default; a detector passes its focal + box loss), an optimiser, a learning-rate schedule and a
// progressive plan (EfficientNetV2, Algorithm 1: each stage sets the image size and the
// regularisation: dropout, drop path, and the RandAugment, Mixup and CutMix that `prepare` applies).
// Every random choice derives from the seed: data order and masks from the seed and the step,
// augmentation from a seeded stream whose position checkpoints save, so a run resumed from a
// checkpoint continues exactly as if it had never stopped. Checkpoints go to an injected store.
// Fine-tuning freezes variables and may give the classifier its own learning rate (param-groups).
// With `replicas`, a step's gradients come from data-parallel workers (parallel/gradient-pool).
import * as tf from '@tensorflow/tfjs-core';
import { ema, SeededRandom, type WeightEma } from '@effnet/schedules';
import type { CheckpointStore } from './checkpoint-store.js';
import { crossEntropyLoss, withWeightDecay } from './cross-entropy-loss.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import type { Batch, BatchSource } from './datasets/dataset.js';
import { EffnetTrainError } from './errors.js';
import { evaluateClassifier, type Evaluation } from './evaluate-classifier.js';
import { createOptimizer, type TrainOptimizer } from './optimizers.js';
import { LossWatch } from './loss-watch.js';
import { paramGroups, type ParamGroups } from './param-groups.js';
import { StageTally } from './stage-tally.js';
import { stepSeed } from './step-seed.js';
import type { ModelVariables, TrainableModel } from './trainable-model.js';
import { checkTrainerOptions, type AppliedAugmentation, type GradientReplicas, type LossContext, type PrepareBatch, type PreparedBatch, type TrainLoss, type TrainStage, type TrainerOptions } from './trainer-options.js';
import { captureState, restoreState, type TrainerState } from './trainer-state.js';

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

/** The start of a run's augmentation stream, apart from the data-order and mask seeds. */
function augmentationSeed(seed: number): number {
  return stepSeed(seed ^ 0x41c64e6d, 0x7a11);
}

/** Resolves after pending timers and I/O callbacks have had their turn. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Trains a model; `fit()` runs to the end of the plan or until `stop()` is called. */
export class Trainer<M extends ModelVariables = TrainableModel, B extends { count: number } = Batch, P = PreparedBatch> {
  /** Optimiser steps taken so far. */
  step = 0;
  // Kept without M, so a Trainer of a subtype (an EfficientNet) is a Trainer of TrainableModel.
  private readonly options: TrainerOptions<ModelVariables, B, P>;
  private readonly loss: TrainLoss<ModelVariables, P>;
  private readonly optimizer: TrainOptimizer;
  private readonly average: WeightEma | null;
  private readonly stepsPerEpoch: number;
  private stopRequested = false;
  private readonly divergence: LossWatch | null;
  private readonly groups: ParamGroups;
  private readonly headOptimizer: TrainOptimizer | null;
  /** Draws one augmentation seed per step; its position is part of every checkpoint. */
  private readonly augmentation: SeededRandom;

  constructor(options: TrainerOptions<M, B, P>) {
    checkTrainerOptions(options as unknown as TrainerOptions<ModelVariables, { count: number }, unknown>);
    requireGradients();
    this.options = options as unknown as TrainerOptions<ModelVariables, B, P>;
    this.loss = (options.loss ?? crossEntropyLoss) as unknown as TrainLoss<ModelVariables, P>;
    this.stepsPerEpoch = Math.floor(options.train.size / options.batchSize);
    this.groups = paramGroups(options.model, options.fineTune); // before anything allocates: it may throw
    this.optimizer = createOptimizer(options.optimizer ?? { kind: 'sgd', momentum: 0.9 });
    this.headOptimizer = this.groups.head.length > 0 ? createOptimizer(options.optimizer ?? { kind: 'sgd', momentum: 0.9 }) : null;
    this.augmentation = new SeededRandom(augmentationSeed(options.seed ?? 0));
    this.divergence = options.divergence === false ? null : new LossWatch(options.divergence?.window ?? 10, options.divergence?.factor ?? 10);
    this.average = options.ema ? ema(options.ema.decay, { warmup: options.ema.warmup ?? true }) : null;
    // The averages start at the initial weights; the first step then averages with d = 0.1 under warm-up.
    this.average?.update(options.model.namedVariables());
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
    const tally = new StageTally();
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
      const augmentSeed = this.augmentation.int(0x80000000);
      const stepSeedValue = stepSeed(seed ^ 0x5bd1e995, this.step);
      const { loss, applied } = this.options.replicas
        ? await this.parallelStep(this.options.replicas, batch, stage, lr, stepSeedValue, augmentSeed)
        : this.trainStep(batch, stage, lr, stepSeedValue, augmentSeed);
      tally.add(applied);
      this.divergence?.check(loss, this.step);
      this.average?.update(this.options.model.namedVariables());
      this.step += 1;
      const seconds = (performance.now() - started) / 1000;
      await callbacks.onStep?.({
        step: this.step, totalSteps: this.totalSteps, epoch, stage: index, imageSize: stage.imageSize, loss, lr,
        imagesPerSecond: batch.count / Math.max(seconds, 1e-9), ...(applied ? { applied } : {}),
      });
      const stageEnds = this.step === stage.startStep + stage.steps;
      if (stageEnds) await callbacks.onStageEnd?.(stage, index, tally.take());
      if (this.step % this.stepsPerEpoch === 0) await callbacks.onEpochEnd?.(epoch, this.step);
      // Let timers and signal handlers run (progress bars redraw, Ctrl-C calls stop()) before
      // deciding on a checkpoint: a step only awaits promises, which keep the event loop from them.
      await yieldToEventLoop();
      if (checkpoints && ((checkpoints.every && this.step % checkpoints.every === 0) || stageEnds || this.stopRequested)) {
        const location = await this.saveCheckpoint();
        callbacks.onCheckpoint?.(location, this.step);
      }
    }
    return { steps: this.step, stopped: this.step < this.totalSteps };
  }

  /** Sets this step's learning rates; returns the variables it trains and the loss's context. */
  private beginStep(stage: TrainStage, lr: number, seed: number): { variables: tf.Variable[]; context: LossContext } {
    const { body, head, frozenBatchNorm } = this.groups;
    this.optimizer.setLearningRate(lr);
    this.headOptimizer?.setLearningRate(this.options.fineTune!.headLr!(this.step));
    return { variables: [...body, ...head], context: { stage, step: this.step, seed, ...(frozenBatchNorm ? { frozenBatchNorm } : {}) } };
  }

  /** One optimiser step on one batch; returns the loss and what augmentation `prepare` applied. */
  private trainStep(batch: B, stage: TrainStage, lr: number, seed: number, augmentSeed: number): { loss: number; applied?: AppliedAugmentation } {
    const { model, prepare, weightDecay = 0 } = this.options;
    const { variables, context } = this.beginStep(stage, lr, seed);
    let applied: AppliedAugmentation | undefined;
    const lossValue = tf.tidy(() => {
      const prepared = prepare(batch, { stage, step: this.step, seed, augmentSeed, training: true });
      applied = (prepared as { applied?: AppliedAugmentation }).applied;
      const { value, grads } = tf.variableGrads(() => withWeightDecay(this.loss(model, prepared, context), variables, weightDecay), variables);
      this.applyGradients(grads);
      return value;
    });
    const loss = lossValue.dataSync()[0]!;
    lossValue.dispose();
    return this.checkedLoss(loss, applied);
  }

  /** One optimiser step whose gradients the replicas computed on shards of the prepared batch. */
  private async parallelStep(pool: GradientReplicas, batch: B, stage: TrainStage, lr: number, seed: number, augmentSeed: number): Promise<{ loss: number; applied?: AppliedAugmentation }> {
    const { model, prepare, weightDecay = 0 } = this.options;
    const { variables, context } = this.beginStep(stage, lr, seed);
    if (!pool.isStarted) await pool.start(model as unknown as TrainableModel, variables);
    const prepared = tf.tidy(() => prepare(batch, { stage, step: this.step, seed, augmentSeed, training: true }) as unknown as tf.TensorContainer) as unknown as PreparedBatch;
    try {
      const { loss, grads } = await pool.gradients(model as unknown as TrainableModel, variables, prepared, context, weightDecay);
      tf.tidy(() => this.applyGradients(grads));
      tf.dispose(Object.values(grads));
      return this.checkedLoss(loss, prepared.applied);
    } finally {
      tf.dispose([prepared.images, prepared.targets]);
    }
  }

  /** Clips (if asked) and applies gradients keyed by variable name, the classifier's with its own optimiser. */
  private applyGradients(grads: tf.NamedTensorMap): void {
    const { body, head } = this.groups;
    const clipped = this.options.clipNorm ? clipByGlobalNorm(grads, this.options.clipNorm) : grads;
    if (this.headOptimizer) {
      const headNames = new Set(head.map((v) => v.name));
      const pick = (inHead: boolean) => Object.fromEntries(Object.entries(clipped).filter(([name]) => headNames.has(name) === inHead));
      this.optimizer.apply(pick(false), body);
      this.headOptimizer.apply(pick(true), head);
    } else {
      this.optimizer.apply(clipped, [...body, ...head]);
    }
  }

  private checkedLoss(loss: number, applied: AppliedAugmentation | undefined): { loss: number; applied?: AppliedAugmentation } {
    if (!Number.isFinite(loss)) {
      throw new EffnetTrainError('loss', `became ${loss} at step ${this.step}: lower the learning rate or enable clipNorm`);
    }
    return { loss, ...(applied ? { applied } : {}) };
  }

  /**
   * Loss, top-1, top-5 and the confusion matrix over a classification data set (see
   * `evaluateClassifier`), with EMA weights if the trainer keeps them (or `useEma` says so), at the
   * last stage's image size unless `imageSize` is given. Classifiers only; other tasks evaluate
   * inside {@link Trainer.withAveragedWeights}.
   *
   * @throws EffnetTrainError when the model is not a classifier (has no `forward`).
   */
  async evaluate(data: BatchSource<Batch>, options: { batchSize?: number; useEma?: boolean; imageSize?: number; onProgress?: (seen: number) => void } = {}): Promise<Evaluation> {
    const model = this.options.model as unknown as TrainableModel;
    if (typeof model.forward !== 'function') throw new EffnetTrainError('evaluate', 'classifiers only (the model has no forward() giving logits); evaluate other tasks in withAveragedWeights()');
    const useEma = options.useEma ?? this.average !== null;
    if (useEma && !this.average) throw new EffnetTrainError('useEma', 'this trainer keeps no EMA: pass `ema` in the options');
    const { stage } = this.stageAt(Math.max(0, this.totalSteps - 1));
    const run = () =>
      evaluateClassifier(model, data, {
        prepare: this.options.prepare as unknown as PrepareBatch, numClasses: this.options.numClasses,
        stage: { ...stage, imageSize: options.imageSize ?? stage.imageSize }, batchSize: options.batchSize, onProgress: options.onProgress,
      });
    return useEma ? this.withAveragedWeights(run) : run();
  }

  /**
   * Runs `fn` with the EMA weights in the model (the live weights are put back afterwards, even if
   * `fn` throws); without an EMA, runs `fn` on the live weights.
   */
  async withAveragedWeights<T>(fn: () => Promise<T> | T): Promise<T> {
    if (!this.average) return fn();
    const variables = this.options.model.namedVariables();
    this.average.swapIn(variables);
    try {
      return await fn();
    } finally {
      this.average.swapOut(variables);
    }
  }

  private state(): TrainerState {
    return { variables: this.options.model.namedVariables(), optimizer: this.optimizer, average: this.average, headOptimizer: this.headOptimizer, augmentation: this.augmentation };
  }

  /**
   * Writes weights, optimiser state, EMA and the step to `store` (default: the options' store);
   * returns where the store put it.
   */
  async saveCheckpoint(store: CheckpointStore | undefined = this.options.checkpoints?.store, keep = this.options.checkpoints?.keep ?? 3): Promise<string> {
    if (!store) throw new EffnetTrainError('checkpoints', 'no store given: pass `checkpoints: { store }` in the options or a store here');
    const extra = this.divergence?.reference === undefined ? {} : { lossReference: this.divergence.reference };
    return store.save(await captureState(this.state(), this.step, this.stageAt(this.step).index, extra), keep);
  }

  /** Restores the newest checkpoint of `store` (default: the options' store); returns its step, or undefined when there is none. */
  async resume(store: CheckpointStore | undefined = this.options.checkpoints?.store): Promise<number | undefined> {
    if (!store) throw new EffnetTrainError('checkpoints', 'no store given: pass `checkpoints: { store }` in the options or a store here');
    const latest = await store.latest();
    if (!latest) return undefined;
    await restoreState(this.state(), latest.content, latest.location);
    this.step = latest.content.step;
    if (typeof latest.content.state['augmentationState'] !== 'number') {
      // A checkpoint from before the stream was saved: one draw per step puts it where it was.
      this.augmentation.setState(new SeededRandom(augmentationSeed(this.options.seed ?? 0)).getState());
      for (let i = 0; i < this.step; i++) this.augmentation.int(0x80000000);
    }
    const reference = latest.content.state['lossReference'];
    if (this.divergence && typeof reference === 'number') this.divergence.reference = reference;
    return this.step;
  }

  /** Frees the optimiser state and the EMA copies (not the model). */
  dispose(): void {
    this.optimizer.dispose();
    this.headOptimizer?.dispose();
    this.average?.dispose();
  }
}

// One training run in the page with @effnet/train's Trainer: a preset of @effnet/scaling, or the
// model loaded on the Classify screen (its classes: go on training it; other classes: a new
// classifier, as `effnet train --init` fine-tunes, with batch norm or the whole backbone frozen if
// asked), a progressive plan (image size and dropout grow stage by stage, EfficientNetV2's
// Algorithm 1), warm-up + cosine learning rate, weight EMA, checkpoints in IndexedDB. `pause()`
// stops after the step in progress (writing a checkpoint); `run()` again goes on from there.
// Evaluation uses the EMA weights. On wasm and cpu with more than one core, each step's batch is
// split over data-parallel replicas in Web Workers (replicas.ts).
import * as tf from '@tensorflow/tfjs-core';
import { efficientnet, resetClassifier, type EfficientNet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { cosineLr, progressiveStages, toStepStages, warmup } from '@effnet/schedules';
import { Trainer, standardPrepare, type Evaluation, type GradientPool, type FreezeMode, type StepInfo, type TrainStage } from '@effnet/train';
import type { PlaygroundData } from './datasets.js';
import { PlaygroundError } from './errors.js';
import { indexedDbCheckpointStore } from './idb-checkpoint-store.js';
import type { LoadedModel } from './model-io.js';
import { replicaPlan, replicaPool, type ReplicaPlan } from './replicas.js';

/** Presets offered on the Train screen: the small 28 px ones and B0. */
export const TRAIN_PRESETS = ['efficientnetv2-28-lite', 'efficientnetv2-28', 'efficientnet-b0'] as const;

/** What a person sets on the Train screen. */
export interface TrainSettings {
  preset: string;
  steps: number;
  batchSize: number;
  stages: number;
  /** Image size of the last stage; the first stage starts at half of it. */
  imageSize: number;
  lr: number;
  emaDecay: number;
  seed: number;
  /** Start from this model instead of a fresh one: the same channels; other classes get a new classifier. */
  init?: LoadedModel;
  /** What fine-tuning freezes (@effnet/train's `fineTune.freeze`); 'none' trains everything. */
  freeze: FreezeMode;
}

/** Whether `a` and `b` name the same classes in the same order. */
function sameClasses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** A run: the model, its trainer and what to do with them. */
export class TrainSession {
  readonly model: EfficientNet;
  readonly trainer: Trainer;
  readonly plan: TrainStage[];
  readonly spec: ModelSpec;
  /** The tfjs backend the run started on. */
  readonly backend = tf.getBackend();
  /** Mean and std the run normalises with (the loaded model's, or the data's). */
  readonly normalisation: { mean: number[]; std: number[] };
  /** How the run began: a fresh preset, the loaded model, or the loaded model with a new classifier. */
  readonly origin: 'preset' | 'continued' | 'new classifier';
  /** Data-parallel replicas (this thread's and one Web Worker each for the others), and why only one. */
  readonly replicaPlan: ReplicaPlan;
  private readonly pool: GradientPool | null;
  private running: Promise<{ steps: number; stopped: boolean }> | null = null;

  constructor(readonly data: PlaygroundData, readonly settings: TrainSettings, onStep: (info: StepInfo) => void) {
    const { train } = data;
    const [, , channels] = train.imageShape;
    if (settings.init) {
      const { model, meta } = settings.init;
      if (model.spec.inChannels !== channels) {
        throw new PlaygroundError('start from', `the loaded model takes ${model.spec.inChannels} channel(s), the data has ${channels}: pick the other 'my images' channels setting, or another model`);
      }
      const continued = sameClasses(meta.classNames, train.classNames);
      this.model = continued ? model : resetClassifier(model, train.classNames.length, { seed: settings.seed });
      this.origin = continued ? 'continued' : 'new classifier';
    } else {
      this.origin = 'preset';
      this.model = efficientnet(preset(settings.preset, { numClasses: train.classNames.length, inChannels: channels }) as ModelSpec, { seed: settings.seed });
    }
    this.spec = this.model.spec;
    // A loaded model keeps the normalisation its features were learned with.
    this.normalisation = settings.init ? { mean: settings.init.meta.mean, std: settings.init.meta.std } : { mean: data.mean, std: data.std };
    this.replicaPlan = replicaPlan(this.backend);
    this.pool = replicaPool(this.replicaPlan.replicas, this.spec, this.backend);
    try {
      const to = { imageSize: settings.imageSize, dropout: this.spec.dropout };
      const from = { imageSize: settings.stages === 1 ? settings.imageSize : Math.max(8, Math.round(settings.imageSize / 2)), dropout: settings.stages === 1 ? to.dropout : 0 };
      this.plan = toStepStages(progressiveStages({ stages: settings.stages, totalSteps: settings.steps, from, to, sizeMultiple: 2 }));
      this.trainer = this.makeTrainer(onStep);
    } catch (error) {
      if (this.model !== settings.init?.model) this.model.dispose();
      void this.pool?.close();
      throw error;
    }
  }

  private makeTrainer(onStep: (info: StepInfo) => void): Trainer {
    const { settings, data: { train } } = this;
    const warm = Math.floor(settings.steps / 10);
    return new Trainer({
      model: this.model, train, numClasses: train.classNames.length, batchSize: settings.batchSize, plan: this.plan, seed: settings.seed,
      lr: warmup(cosineLr({ base: settings.lr, steps: Math.max(1, settings.steps - warm) }), { steps: warm }),
      optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 5e-5, ema: { decay: settings.emaDecay },
      prepare: standardPrepare({ numClasses: train.classNames.length, ...this.normalisation, labelSmoothing: 0.1 }),
      checkpoints: { store: indexedDbCheckpointStore(`run-${Date.now()}`), every: 100, keep: 2 },
      ...(settings.freeze === 'none' ? {} : { fineTune: { freeze: settings.freeze } }),
      callbacks: { onStep },
      ...(this.pool ? { replicas: this.pool } : {}),
    });
  }

  /** Steps taken. */
  get step(): number {
    return this.trainer.step;
  }

  /** Whether the plan is done. */
  get finished(): boolean {
    return this.trainer.step >= this.trainer.totalSteps;
  }

  /** Trains until the end of the plan or `pause()`. */
  run(): Promise<{ steps: number; stopped: boolean }> {
    this.running ??= this.trainer.fit().finally(() => (this.running = null));
    return this.running;
  }

  /** Stops after the step in progress; `run()` resumes. */
  async pause(): Promise<void> {
    this.trainer.stop();
    await this.running;
  }

  /** Top-1/top-5 on the test set with the EMA weights, at the last stage's size. */
  evaluate(): Promise<Evaluation> {
    return this.trainer.evaluate(this.data.test, { useEma: true, batchSize: 64 });
  }

  /** The model with its EMA weights copied in (a new model: the run can go on), as the CLI saves it. */
  async averagedModel(): Promise<LoadedModel> {
    const copy = await this.trainer.withAveragedWeights(() => {
      const clone = efficientnet(this.spec, { seed: this.settings.seed });
      const from = this.model.namedVariables();
      for (const [name, variable] of Object.entries(clone.namedVariables())) variable.assign(from[name]!);
      return clone;
    });
    const { train } = this.data;
    const from = this.origin === 'preset' ? '' : ` from ${this.settings.init!.meta.source || 'a loaded model'}${this.origin === 'new classifier' ? ' with a new classifier' : ''}`;
    const source = `effnet playground: ${this.spec.name}${from} on ${train.name}, ${this.step} steps${this.settings.freeze === 'none' ? '' : `, ${this.settings.freeze} frozen`}, EMA weights`;
    return { model: copy, meta: { classNames: [...train.classNames], ...this.normalisation, imageSize: this.plan.at(-1)!.imageSize, source } };
  }

  /** Frees the trainer's state, the replicas' workers and the model (unless it is the loaded one, which the Classify screen holds). */
  dispose(): void {
    void this.pool?.close();
    this.trainer.dispose();
    if (this.model !== this.settings.init?.model) this.model.dispose();
  }
}

/** Tensors held by tfjs now (the page shows it, to make leaks visible). */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

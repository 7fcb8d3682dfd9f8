// One training run in the page with @effnet/train's Trainer: a preset of @effnet/scaling (or the
// model loaded on the Classify screen, to go on training it), a progressive plan (image size and
// dropout grow stage by stage, EfficientNetV2's Algorithm 1), warm-up + cosine learning rate,
// weight EMA, checkpoints in IndexedDB. `pause()` stops after the step in progress (writing a
// checkpoint); `run()` again goes on from there. Evaluation uses the EMA weights.
import * as tf from '@tensorflow/tfjs-core';
import { efficientnet, type EfficientNet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { cosineLr, progressiveStages, toStepStages, warmup } from '@effnet/schedules';
import { Trainer, standardPrepare, type Evaluation, type StepInfo, type TrainStage } from '@effnet/train';
import type { PlaygroundData } from './datasets.js';
import { PlaygroundError } from './errors.js';
import { indexedDbCheckpointStore } from './idb-checkpoint-store.js';
import type { LoadedModel } from './model-io.js';

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
  /** Go on training this model (same classes and channels) instead of a fresh one. */
  init?: LoadedModel;
}

/** A run: the model, its trainer and what to do with them. */
export class TrainSession {
  readonly model: EfficientNet;
  readonly trainer: Trainer;
  readonly plan: TrainStage[];
  readonly spec: ModelSpec;
  /** The tfjs backend the run started on. */
  readonly backend = tf.getBackend();
  private running: Promise<{ steps: number; stopped: boolean }> | null = null;

  constructor(readonly data: PlaygroundData, readonly settings: TrainSettings, onStep: (info: StepInfo) => void) {
    const { train } = data;
    const [, , channels] = train.imageShape;
    if (settings.init) {
      const { spec } = settings.init.model;
      if (spec.numClasses !== train.classNames.length || spec.inChannels !== channels) {
        throw new PlaygroundError('start from', `the loaded model has ${spec.numClasses} classes and ${spec.inChannels} channel(s), the data ${train.classNames.length} and ${channels}; a new head for other classes needs --init fine-tuning, which the Trainer does not have yet`);
      }
      this.model = settings.init.model;
    } else {
      this.model = efficientnet(preset(settings.preset, { numClasses: train.classNames.length, inChannels: channels }) as ModelSpec, { seed: settings.seed });
    }
    this.spec = this.model.spec;
    const to = { imageSize: settings.imageSize, dropout: this.spec.dropout };
    const from = { imageSize: settings.stages === 1 ? settings.imageSize : Math.max(8, Math.round(settings.imageSize / 2)), dropout: settings.stages === 1 ? to.dropout : 0 };
    this.plan = toStepStages(progressiveStages({ stages: settings.stages, totalSteps: settings.steps, from, to, sizeMultiple: 2 }));
    const warm = Math.floor(settings.steps / 10);
    this.trainer = new Trainer({
      model: this.model, train, numClasses: train.classNames.length, batchSize: settings.batchSize, plan: this.plan, seed: settings.seed,
      lr: warmup(cosineLr({ base: settings.lr, steps: Math.max(1, settings.steps - warm) }), { steps: warm }),
      optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 5e-5, ema: { decay: settings.emaDecay },
      prepare: standardPrepare({ numClasses: train.classNames.length, mean: data.mean, std: data.std, labelSmoothing: 0.1 }),
      checkpoints: { store: indexedDbCheckpointStore(`run-${Date.now()}`), every: 100, keep: 2 },
      callbacks: { onStep },
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
    const { train, mean, std } = this.data;
    const source = `effnet playground: ${this.spec.name} on ${train.name}, ${this.step} steps, EMA weights`;
    return { model: copy, meta: { classNames: [...train.classNames], mean, std, imageSize: this.plan.at(-1)!.imageSize, source } };
  }

  /** Frees the trainer's state and the model (unless it came from elsewhere). */
  dispose(): void {
    this.trainer.dispose();
    if (!this.settings.init) this.model.dispose();
  }
}

/** Tensors held by tfjs now (the page shows it, to make leaks visible). */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

// What `effnet train` and `npm run demo` can tell a training run, its defaults, and what the run
// reports at the end (summary.json).
import type { Evaluation, FreezeMode, TrainStage } from '@effnet/train';
import type { PlanFlags } from './run-plan.js';

/** Everything a training run can be told. */
export interface TrainRunOptions extends PlanFlags {
  /** Preset name (see `effnet list`; default efficientnetv2-28, or the `init` model folder's). */
  preset?: string;
  /** A ModelSpec file to train instead of a preset (e.g. `effnet search`'s best.json). */
  spec?: string;
  /** `fashion-mnist`, `mnist`, or a folder with `train/` and `test/` image folders. */
  data: string;
  /** The run folder. */
  out: string;
  /** Backend name or `auto`. */
  backend: string;
  /** Seed of the weights, the data order and every random choice. */
  seed: number;
  /** Epochs over the training set (fractions allowed). */
  epochs: number;
  /** Examples per step. */
  batchSize: number;
  /** RandAugment operations per image when on. */
  randAugmentOps: number;
  /** Start from this model: a model folder, or a torchvision/timm `.safetensors` file for `preset`. */
  init?: string;
  /** Classes the classifier gets (must equal the data's; with `init`, the classifier is replaced when it differs). */
  numClasses?: number;
  /** What fine-tuning freezes. */
  freeze: FreezeMode;
  /** Peak learning rate of the classifier (default: `lr`). */
  headLr?: number;
  /** Train (and test) on these classes of the data only, by index or name, relabelled in this order. */
  classes?: string[];
  /** Peak learning rate (after warm-up, then cosine decay to 0). */
  lr: number;
  /** Warm-up steps. */
  warmupSteps: number;
  /** Optimiser. */
  optimizer: 'sgd' | 'rmsprop' | 'adamw';
  /** Weight decay (L2 for SGD/RMSProp, decoupled for AdamW). */
  weightDecay: number;
  /** Label smoothing ε. */
  labelSmoothing: number;
  /** EMA decay of the weights. */
  emaDecay: number;
  /** Checkpoint every N steps (and at every stage end). */
  checkpointEvery: number;
  /** Checkpoints kept. */
  keep: number;
  /** Use at most this many images per class (quick runs, tests). */
  limitPerClass?: number;
  /** Test images evaluated at each stage end for the accuracy curve (0 = none). */
  stageEvalImages: number;
  /** Test images shown with predictions in the report. */
  reportSamples: number;
  /** Continue from the newest checkpoint in `<out>/checkpoints`. */
  resume: boolean;
  /** Replace the run already in `out` (without it, a used folder is refused). */
  overwrite?: boolean;
  /**
   * Data-parallel replicas: the main thread and `workers - 1` worker threads, each with its own
   * backend (default: the cores available on wasm and cpu, at most 8; 1 elsewhere).
   */
  workers?: number;
  /** Ctrl-C stops the run cleanly with a checkpoint (default true; tests turn it off). */
  handleSigint?: boolean;
}

/** Defaults of every option but `preset`, `data` and `out`. */
export const TRAIN_DEFAULTS: Omit<TrainRunOptions, 'data' | 'out'> = {
  backend: 'auto', seed: 0, epochs: 1, batchSize: 64, stages: 3, randAugmentOps: 2, freeze: 'none', lr: 0.004, warmupSteps: 50,
  optimizer: 'adamw', weightDecay: 0.02, labelSmoothing: 0.1, emaDecay: 0.99, checkpointEvery: 200, keep: 3,
  stageEvalImages: 2000, reportSamples: 24, resume: false,
};

/** What a run reports at the end. */
export interface TrainRunSummary {
  /** The run folder. */
  out: string;
  /** Backend used. */
  backend: string;
  /** Data-parallel replicas used (1: everything on the main thread). */
  workers: number;
  /** Preset trained. */
  preset: string;
  /** Data set name. */
  data: string;
  /** Trainable parameters. */
  params: number;
  /** Steps completed. */
  steps: number;
  /** Steps planned. */
  totalSteps: number;
  /** Whether Ctrl-C (or `stop`) ended the run early. */
  stopped: boolean;
  /** The plan followed. */
  plan: TrainStage[];
  /** Final evaluation on the held-out split with EMA weights (absent when stopped). */
  evaluation?: Omit<Evaluation, 'confusion'> & { useEma: boolean };
  /** Seconds spent in `fit`. */
  trainSeconds: number;
  /** Seconds of the whole run. */
  totalSeconds: number;
  /** Peak resident set size of the process, MiB. */
  peakRssMiB: number;
  /** Tensors held after the first step and after the last one (equal: nothing leaks per step). */
  tensorsAfterFirstStep: number;
  /** See `tensorsAfterFirstStep`. */
  tensorsAfterLastStep: number;
  /** Tensors leaked per step (must be 0). */
  tensorsLeakedPerStep: number;
}

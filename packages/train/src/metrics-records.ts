// The records of a training run's metrics log (metrics.jsonl): stage starts, steps and evaluations.

/** A stage of the plan began. */
export interface StageRecord {
  /** Record kind. */
  type: 'stage';
  /** Stage index. */
  index: number;
  /** First step. */
  startStep: number;
  /** Steps in the stage. */
  steps: number;
  /** Image size. */
  imageSize: number;
  /** Dropout. */
  dropout: number;
  /** Largest drop-path rate. */
  dropPath: number;
  /** RandAugment magnitude. */
  randAugmentMagnitude: number;
  /** Mixup alpha. */
  mixupAlpha: number;
}

/** One optimiser step. */
export interface StepRecord {
  /** Record kind. */
  type: 'step';
  /** Steps completed. */
  step: number;
  /** Epoch. */
  epoch: number;
  /** Stage index. */
  stage: number;
  /** Image size. */
  imageSize: number;
  /** Training loss. */
  loss: number;
  /** Learning rate. */
  lr: number;
  /** Throughput. */
  imagesPerSecond: number;
  /** Seconds since the run began. */
  elapsed: number;
}

/** An evaluation on held-out data. */
export interface EvalRecord {
  /** Record kind. */
  type: 'eval';
  /** Steps completed when evaluated. */
  step: number;
  /** Whether EMA weights were used. */
  ema: boolean;
  /** Mean cross-entropy. */
  loss: number;
  /** Top-1 accuracy. */
  top1: number;
  /** Top-5 accuracy. */
  top5: number;
  /** Examples evaluated. */
  count: number;
  /** Confusion matrix `[truth][predicted]` (final evaluation only). */
  confusion?: number[][];
}

/** Anything a metrics log holds. */
export type MetricsRecord = StageRecord | StepRecord | EvalRecord;

// The records of a training run's metrics log (metrics.jsonl): stage starts and ends, steps and evaluations.

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
  /** CutMix alpha (absent in logs written before it was recorded). */
  cutmixAlpha?: number;
  /** RandAugment operations per image when the magnitude is above 0. */
  randAugmentOps?: number;
}

/** A stage ended: what its batches actually got. */
export interface StageEndRecord {
  /** Record kind. */
  type: 'stage-end';
  /** Stage index. */
  index: number;
  /** Steps completed at the end of the stage. */
  step: number;
  /** Batches trained in the stage by this process (a resumed stage counts from the resume). */
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
export type MetricsRecord = StageRecord | StageEndRecord | StepRecord | EvalRecord;

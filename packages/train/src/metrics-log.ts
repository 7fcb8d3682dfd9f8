// metrics.jsonl: one JSON object per line, appended as training goes, so a crashed run keeps
// everything up to its last step and a report can be drawn from the file alone.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EffnetDataError } from './errors.js';

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

/** Appends records to a metrics.jsonl file (created with its folder if missing). */
export class MetricsLog {
  /** Opens (or creates) the log at `path`. */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Appends one record as one line. */
  write(record: MetricsRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}

/** Reads every record of a metrics.jsonl file; a torn last line (a crash mid-write) is ignored. */
export function readMetrics(path: string): MetricsRecord[] {
  if (!existsSync(path)) throw new EffnetDataError(path, 'no metrics file: was the run started with this folder?');
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.flatMap((line, i) => {
    try {
      return [JSON.parse(line) as MetricsRecord];
    } catch {
      if (i === lines.length - 1) return [];
      throw new EffnetDataError(path, `line ${i + 1} is not JSON`);
    }
  });
}

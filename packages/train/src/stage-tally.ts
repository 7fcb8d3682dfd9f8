// Counts, over one stage of a run, which batches got which augmentation (for metrics.jsonl).
import type { AppliedAugmentation, StageAugmentation } from './trainer-options.js';

/** Accumulates the augmentation of a stage's batches; `take()` returns the counts and starts over. */
export class StageTally {
  private counts = { batches: 0, randAugment: 0, mixup: 0, cutmix: 0 };
  private lambdaSum = 0;

  /** Counts one batch (`applied` undefined: the batch was not augmented, or `prepare` does not say). */
  add(applied: AppliedAugmentation | undefined): void {
    this.counts.batches += 1;
    if (!applied) return;
    if (applied.randAugmentOps > 0 && applied.randAugmentMagnitude >= 0) this.counts.randAugment += 1;
    if (applied.mix !== 'none') {
      this.counts[applied.mix] += 1;
      this.lambdaSum += applied.lambda;
    }
  }

  /** The counts so far; resets them. */
  take(): StageAugmentation {
    const mixed = this.counts.mixup + this.counts.cutmix;
    const result = { ...this.counts, meanLambda: mixed > 0 ? this.lambdaSum / mixed : 1 };
    this.counts = { batches: 0, randAugment: 0, mixup: 0, cutmix: 0 };
    this.lambdaSum = 0;
    return result;
  }
}

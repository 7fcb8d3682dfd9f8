// Divergence detection: a run whose loss grows without becoming NaN (a learning rate far too high)
// would otherwise finish and save a chance-level model. The first step's loss is the reference; the
// run stops when the median of the last `window` losses exceeds `factor` times it. The median lets
// one bad batch pass.
import { EffnetTrainError } from './errors.js';

/** Watches the training loss step by step. */
export class LossWatch {
  /** Loss of the run's first step (kept in checkpoints so a resumed run keeps the same bound). */
  reference: number | undefined;
  private readonly recent: number[] = [];

  constructor(readonly window: number, readonly factor: number) {}

  /**
   * Records the loss of step `step` (0-based).
   *
   * @throws EffnetTrainError when the run has diverged.
   */
  check(loss: number, step: number): void {
    this.reference ??= loss;
    this.recent.push(loss);
    if (this.recent.length > this.window) this.recent.shift();
    if (this.recent.length < this.window) return;
    const sorted = [...this.recent].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    const bound = this.factor * Math.max(this.reference, 1e-3);
    if (median > bound) {
      throw new EffnetTrainError('loss', `the run diverged: the median loss of steps ${step - this.window + 2}-${step + 1} is ${median.toPrecision(3)}, over ${this.factor}× the first step's ${this.reference.toPrecision(3)}; lower the learning rate (or lengthen the warm-up) and start again`);
    }
  }
}

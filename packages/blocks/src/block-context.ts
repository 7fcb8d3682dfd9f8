// What a block needs to know when it runs: training or evaluation, its drop-path rate and the
// seed of its random mask.

/** Per-call context of a block. */
export interface BlockContext {
  /** Training mode: BN batch statistics, drop path on. */
  training: boolean;
  /** Drop-path rate of this block for this call. */
  dropPath: number;
  /** Seed of this block's random mask for this call. */
  seed: number;
}

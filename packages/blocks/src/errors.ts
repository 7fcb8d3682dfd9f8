// Typed errors of @effnet/blocks: what was wrong, where, and how to fix it.
import { EffnetError } from '@effnet/scaling';

/** A block was built or called with something it cannot use: wrong channels, a rate ≥ 1, a shape-only store… */
export class EffnetBlockError extends EffnetError {
  override name = 'EffnetBlockError';
  /** The layer or parameter concerned, e.g. `blocks.3.dw.conv`; the same as `field`. */
  readonly where: string;

  /**
   * @param where - The layer or parameter concerned.
   * @param message - What was wrong and how to fix it.
   */
  constructor(where: string, message: string) {
    super(where, `${where}: ${message}`);
    this.where = where;
  }
}

// Typed errors of @effnet/train, each naming what was wrong and how to fix it.
import { EffnetError } from '@effnet/scaling';

/** A dataset could not be loaded or used: a missing package, a corrupt image, a bad label. */
export class EffnetDataError extends EffnetError {
  override name = 'EffnetDataError';
  /** The dataset, file or folder concerned; the same as `field`. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(source, `${source}: ${message}`);
    this.source = source;
  }
}

/** A training option is invalid or a run cannot continue. */
export class EffnetTrainError extends EffnetError {
  override name = 'EffnetTrainError';

  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
  }
}

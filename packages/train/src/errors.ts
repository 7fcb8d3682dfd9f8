// Typed errors of @effnet/train, each naming what was wrong and how to fix it.

/** A dataset could not be loaded or used: a missing package, a corrupt image, a bad label. */
export class EffnetDataError extends Error {
  override name = 'EffnetDataError';
  /** The dataset, file or folder concerned. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.source = source;
  }
}

/** A training option is invalid or a run cannot continue. */
export class EffnetTrainError extends Error {
  override name = 'EffnetTrainError';
  /** The option concerned, e.g. `optimizer` or `resume`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

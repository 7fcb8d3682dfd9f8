// Typed errors of @effnet/models.

/** A model cannot be built or called as asked. */
export class EffnetModelError extends Error {
  override name = 'EffnetModelError';
  /** The argument concerned. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A weights file is malformed, or does not fit the model (missing, unexpected or misshaped tensors). */
export class EffnetWeightsError extends Error {
  override name = 'EffnetWeightsError';
  /** The file or source concerned. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.source = source;
  }
}

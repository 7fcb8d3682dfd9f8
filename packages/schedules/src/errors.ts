// Typed errors of @effnet/schedules: each names the option, the bad value and what is allowed.

/** A schedule or augmentation option is invalid. */
export class EffnetConfigError extends Error {
  /** Always `EffnetConfigError`. */
  override name = 'EffnetConfigError';
  /** The option that was wrong, e.g. `stages` or `from.imageSize`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

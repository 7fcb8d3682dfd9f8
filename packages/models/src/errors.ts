// Typed errors of @effnet/models.
import { EffnetError } from '@effnet/scaling';

/** A model cannot be built or called as asked. */
export class EffnetModelError extends EffnetError {
  override name = 'EffnetModelError';

  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
  }
}

/** A weights file is malformed, or does not fit the model (missing, unexpected or misshaped tensors). */
export class EffnetWeightsError extends EffnetError {
  override name = 'EffnetWeightsError';
  /** The file or source concerned; the same as `field`. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(source, `${source}: ${message}`);
    this.source = source;
  }
}

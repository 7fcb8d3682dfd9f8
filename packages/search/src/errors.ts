// Typed errors of @effnet/search, each naming what was wrong and how to fix it.
import { EffnetError } from '@effnet/scaling';

/** A search option is invalid, a store cannot be read, or a resumed search has other settings. */
export class EffnetSearchError extends EffnetError {
  override name = 'EffnetSearchError';

  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
  }
}

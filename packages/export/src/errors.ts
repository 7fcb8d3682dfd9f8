// Typed errors of @effnet/export.
import { EffnetError } from '@effnet/scaling';

/** A model, option or destination cannot be exported as asked; the message says what to change. */
export class EffnetExportError extends EffnetError {
  override name = 'EffnetExportError';

  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
  }
}

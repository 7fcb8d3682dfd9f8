// Typed errors of @effnet/export.

/** A model, option or destination cannot be exported as asked; the message says what to change. */
export class EffnetExportError extends Error {
  override name = 'EffnetExportError';
  /** The argument concerned. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

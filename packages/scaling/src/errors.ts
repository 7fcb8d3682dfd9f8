// Typed errors of @effnet/scaling. Each says what was wrong, what is allowed and how to fix it.

/** A configuration value is invalid: a negative φ, a zero width, an unknown preset… */
export class EffnetConfigError extends Error {
  override name = 'EffnetConfigError';
  /** The option or field that was wrong, e.g. `phi` or `preset`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** A block string could not be decoded. */
export class BlockStringError extends EffnetConfigError {
  override name = 'BlockStringError';
  /** The whole string that was being decoded. */
  readonly input: string;
  /** The offending token, e.g. `k0` or `x9`. */
  readonly token: string;
  /** 0-based character offset of the token in `input`. */
  readonly position: number;

  constructor(input: string, token: string, position: number, reason: string) {
    super('blockString', `bad block string '${input}': token '${token}' at position ${position}: ${reason}`);
    this.input = input;
    this.token = token;
    this.position = position;
  }
}

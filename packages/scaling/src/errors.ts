// The error base of every effnet package, and @effnet/scaling's own errors. Every error effnet
// throws on bad input extends EffnetError, so an app can tell "the user asked for something
// wrong" (one line, exit 2) from a bug (a stack trace) with one instanceof check.

/** The base of every effnet error: what was wrong (the message, with the fix) and where (`field`). */
export class EffnetError extends Error {
  override name = 'EffnetError';
  /** What the error is about: an option (`phi`), a file, a layer (`blocks.3.dw`) or a backend (`wasm`). */
  readonly field: string;

  /**
   * @param field - What the error is about.
   * @param message - What was wrong and how to fix it.
   */
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** A configuration value is invalid: a negative φ, a zero width, an unknown preset… */
export class EffnetConfigError extends EffnetError {
  override name = 'EffnetConfigError';
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

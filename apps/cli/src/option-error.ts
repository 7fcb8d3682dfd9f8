// The CLI's own error for a flag whose value cannot be used: an EffnetError, so it ends the
// command with one line naming the flag and exit code 2, like every other effnet error.
import { EffnetError } from '@effnet/scaling';

/** A flag's value is not allowed; `field` is the flag (`--mixup`), which the message starts with. */
export class EffnetOptionError extends EffnetError {
  override name = 'EffnetOptionError';

  constructor(flag: string, message: string) {
    super(flag, `${flag}: ${message}`);
  }
}

// Typed errors of @effnet/schedules: each names the option, the bad value and what is allowed.
import { EffnetConfigError } from '@effnet/scaling';

/** A schedule or augmentation option is invalid; an `EffnetConfigError` whose message starts with the option. */
export class EffnetScheduleError extends EffnetConfigError {
  override name = 'EffnetScheduleError';

  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
  }
}

// Typed errors of @effnet/backends: each names the backend concerned and the fix.
import { EffnetError } from '@effnet/scaling';

/** A backend is unknown, not installed, unavailable here, or registered twice. */
export class EffnetBackendError extends EffnetError {
  override name = 'EffnetBackendError';
  /** The backend (adapter or tfjs backend name) concerned, e.g. `wasm` or `node-gpu`; the same as `field`. */
  readonly backend: string;

  constructor(backend: string, message: string) {
    super(backend, `backend '${backend}': ${message}`);
    this.backend = backend;
  }
}

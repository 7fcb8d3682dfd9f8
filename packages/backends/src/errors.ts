// Typed errors of @effnet/backends (STYLE.md rule 5): each names the backend concerned and the fix.

/** A backend is unknown, not installed, unavailable here, or registered twice. */
export class EffnetBackendError extends Error {
  override name = 'EffnetBackendError';
  /** The backend (adapter or tfjs backend name) concerned, e.g. `wasm` or `node-gpu`. */
  readonly backend: string;

  constructor(backend: string, message: string) {
    super(`backend '${backend}': ${message}`);
    this.backend = backend;
  }
}

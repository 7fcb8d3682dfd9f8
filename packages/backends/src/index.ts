// @effnet/backends: the BackendAdapter contract, the adapter registry and auto-selection.
export type {
  BackendAdapter,
  BackendAvailability,
  BackendCapabilities,
  BackendDescription,
  BackendPlatform,
  WarmupTarget,
} from './adapter.js';
export type { BackendListing } from './registry.js';
export { getAdapter, listBackends, registerAdapter, unregisterAdapter, useBackend } from './registry.js';
export { EffnetBackendError } from './errors.js';
export { timeFirstCall } from './warmup.js';

// How many threads tfjs-backend-wasm's XNNPACK pool gets in a browser. Its C++ side caps the pool
// at navigator.hardwareConcurrency / 2 (it assumes two hyper-threads per core), read once when the
// wasm module starts: on a 2-core machine every setThreadsCount(n) ends as 1 thread. So while the
// module starts, activate() reports 2n logical cores, then puts navigator back as it was.
import { EffnetBackendError } from '@effnet/backends';

let requested: number | undefined;
let started = false;

/**
 * Asks for `threads` wasm threads (1-8, tfjs's own limit), honoured from the backend's first
 * activation: call it before `useBackend('wasm')`. Threads need a browser page that is cross-origin
 * isolated (SharedArrayBuffer); tfjs-backend-wasm has no threaded build for Node, where this is a
 * no-op. Unlike tfjs's `setThreadsCount` alone, the count is not halved to
 * `hardwareConcurrency / 2`.
 *
 * @example
 * setWasmThreads(navigator.hardwareConcurrency);
 * await useBackend('wasm');
 *
 * @throws EffnetBackendError for a count outside 1-8, or when the wasm backend has already started.
 */
export function setWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new EffnetBackendError('wasm', `threads must be an integer from 1 to 8, got ${String(threads)}`);
  }
  if (started) throw new EffnetBackendError('wasm', 'setWasmThreads counts only before the first useBackend(\'wasm\'): call it earlier (reload the page to change it)');
  requested = threads;
}

/** Runs `start` (the module's first start) with the requested threads, if any. */
export async function withRequestedThreads<T>(setThreadsCount: (n: number) => void, start: () => Promise<T>): Promise<T> {
  started = true;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (requested === undefined || !nav) return start();
  setThreadsCount(requested);
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * requested, configurable: true });
  try {
    return await start();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete nav.hardwareConcurrency;
  }
}

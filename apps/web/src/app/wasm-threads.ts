// Asking tfjs-backend-wasm for a number of threads. Its C++ side caps the XNNPACK thread pool at
// navigator.hardwareConcurrency / 2 (it assumes two hyper-threads per core), read once when the
// wasm module starts: on a 2-core machine every setThreadsCount(n) ends as 1 thread. So for the
// moment the module starts, the page reports 2n logical cores, then removes that override.
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/**
 * Runs `start` (the wasm backend's first activation) with `threads` asked for. The count is
 * honoured only in a cross-origin isolated page (SharedArrayBuffer), up to tfjs's own limit of 8.
 */
export async function withWasmThreads<T>(threads: number, start: () => Promise<T>): Promise<T> {
  setThreadsCount(threads);
  const own = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await start();
  } finally {
    if (own) Object.defineProperty(navigator, 'hardwareConcurrency', own);
    else delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

// How many data-parallel replicas a training run in the page uses, and the pool of Web Workers
// that runs them: one replica per logical core (at most MAX_REPLICAS, as `effnet train`'s default
// --workers), on the wasm and cpu backends only, and only where the page is cross-origin isolated
// (the weights and gradients travel through SharedArrayBuffers). Otherwise one replica, and why.
import type { ModelSpec } from '@effnet/scaling';
import { GradientPool, webWorkerTransport } from '@effnet/train';

/** Most replicas the page starts; more were not measured (the test machine has 2 cores). */
export const MAX_REPLICAS = 8;

/** Backends whose replicas run in Web Workers (webgl and webgpu share one GPU already). */
const PARALLEL_BACKENDS = new Set(['wasm', 'cpu']);

/** The replicas a run on `backend` uses, and when only one, the reason. */
export interface ReplicaPlan {
  replicas: number;
  reason?: string;
}

/** The replica count for `backend` here: the cores (capped), or 1 with the reason. */
export function replicaPlan(backend: string, cores = navigator.hardwareConcurrency, isolated = globalThis.crossOriginIsolated): ReplicaPlan {
  if (!PARALLEL_BACKENDS.has(backend)) return { replicas: 1, reason: `${backend} runs one replica (data-parallel workers are for wasm and cpu)` };
  if (!(cores > 1)) return { replicas: 1, reason: `the browser reports ${String(cores)} logical core(s)` };
  if (!isolated || typeof SharedArrayBuffer === 'undefined') return { replicas: 1, reason: 'the page is not cross-origin isolated (no SharedArrayBuffer)' };
  return { replicas: Math.min(cores, MAX_REPLICAS) };
}

/** Starts `replicas - 1` Web Workers, each a replica of `spec` on `backend`; null for one replica. */
export function replicaPool(replicas: number, spec: ModelSpec, backend: string): GradientPool | null {
  if (replicas <= 1) return null;
  const transports = Array.from({ length: replicas - 1 }, (_, i) =>
    webWorkerTransport(new Worker(new URL('./replica-worker.ts', import.meta.url), { type: 'module', name: `effnet replica ${i + 1}` })),
  );
  return new GradientPool(transports, { spec, backend });
}

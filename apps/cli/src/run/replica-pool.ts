// The worker-thread pools of `--workers N`: N - 1 worker threads, each a replica of the model with
// its own backend, next to the main thread's model (replica 0); gradient replicas for train and
// bench, inference replicas for eval and predict. The default count and its checks live here too,
// so every command agrees.
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EfficientNet } from '@effnet/models';
import type { ModelSpec } from '@effnet/scaling';
import { GradientPool } from '@effnet/train';
import { workerTransport } from '@effnet/train/node';
import { EffnetOptionError } from '../option-error.js';
import { InferencePool, type FromInference, type ToInference } from './inference-pool.js';
import type { ModelMeta } from './model-meta.js';

/** Most replicas `--workers` defaults to; more were not measured (the test machine has 2 cores). */
export const MAX_DEFAULT_WORKERS = 8;

/** Backends whose replicas run in worker threads (tfjs-node is threaded already; webgl and webgpu are not in Node). */
const THREADABLE = new Set(['wasm', 'cpu']);

/** `--workers` when not given: the cores available (at most {@link MAX_DEFAULT_WORKERS}) on wasm and cpu, else 1. */
export function defaultWorkers(backend: string): number {
  return THREADABLE.has(backend) ? Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS)) : 1;
}

/** Most replicas `--workers` accepts (each holds a model and a backend). */
export const MAX_WORKERS = 256;

/** Parses `--workers`: an integer from 1 to {@link MAX_WORKERS}. */
export function workerCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_WORKERS) throw new EffnetOptionError('--workers', `expected an integer from 1 to ${MAX_WORKERS} (data-parallel replicas; 1 runs on the main thread alone), got '${value}'`);
  return n;
}

/** Checks an explicit `--workers` against the backend in use. */
export function checkWorkers(workers: number, backend: string): void {
  if (workers > 1 && !THREADABLE.has(backend)) {
    throw new EffnetOptionError('--workers', `${workers} replicas need the wasm or cpu backend, but the run uses '${backend}': pass --backend wasm, or --workers 1`);
  }
}

/** The replicas a command runs: `--workers` if given, else {@link defaultWorkers}; checked against the backend. */
export function resolveWorkers(option: number | undefined, backend: string): number {
  const workers = option ?? defaultWorkers(backend);
  checkWorkers(workers, backend);
  return workers;
}

/** What a replica worker serves: gradients (train, bench) or inference (eval, predict). */
export type ReplicaRole = 'gradients' | 'inference';

/** A worker running the replica entry: compiled JavaScript, or the TypeScript source through tsx (tests, `npm run effnet`). */
function replicaWorker(role: ReplicaRole): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return new Worker(join(dirname(here), 'replica-worker.js'), { workerData: { role } });
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = pathToFileURL(join(dirname(here), 'replica-worker.ts')).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData: { role } });
}

/** Starts `workers - 1` worker replicas of `spec` on `backend`; null for one worker (the in-process path). */
export function replicaPool(workers: number, spec: ModelSpec, backend: string): GradientPool | null {
  if (workers <= 1) return null;
  const transports = Array.from({ length: workers - 1 }, () => workerTransport(replicaWorker('gradients')));
  return new GradientPool(transports, { spec, backend });
}

/**
 * Starts `workers - 1` inference workers, each loading the model folder `folder` on `backend`, next
 * to this thread's `model` (loaded from the same folder); null for one worker (the in-process path).
 */
export async function inferencePool(workers: number, folder: string, backend: string, model: EfficientNet, meta: ModelMeta): Promise<InferencePool | null> {
  if (workers <= 1) return null;
  const transports = Array.from({ length: workers - 1 }, () => workerTransport<ToInference, FromInference>(replicaWorker('inference')));
  const pool = new InferencePool(transports, model, meta);
  try {
    await pool.start(folder, backend);
  } catch (error) {
    await pool.close();
    throw error;
  }
  return pool;
}

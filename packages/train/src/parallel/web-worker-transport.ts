// The browser glue of data-parallel training: a Web Worker as the run's transport to a replica,
// and the worker's own global scope (`self`) as the replica's transport back; the counterparts of
// `@effnet/train/node`'s workerTransport and parentPortTransport. Typed structurally, so that the
// package needs no DOM or WebWorker library types: a DOM `Worker` and a DedicatedWorkerGlobalScope fit.
import { EffnetTrainError } from '../errors.js';
import { firstFailure, type FromReplica, type MessageTransport, type ToReplica } from './replica-protocol.js';

/** An event a worker fires: `data` on `message`, `message` on an uncaught error (an ErrorEvent). */
export interface WorkerEventLike {
  readonly data?: unknown;
  readonly message?: string;
}

/** What the run needs of a browser `Worker` (a DOM `Worker` fits). */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: WorkerEventLike) => void): void;
  terminate(): void;
}

/** What the replica needs of its worker's global scope (a DedicatedWorkerGlobalScope fits). */
export interface WorkerScopeLike {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: WorkerEventLike) => void): void;
  close(): void;
}

/**
 * The run's end of a channel to a replica running in the Web Worker `worker`. An `error` event (an
 * uncaught error in the worker, or a script that failed to load) or a `messageerror` is a failure:
 * a browser has no exit event, so these stand for a worker that died. The message types default to
 * data-parallel training's; other protocols name theirs.
 *
 * @example
 * const worker = new Worker(new URL('./replica-worker.js', import.meta.url), { type: 'module' });
 * const pool = new GradientPool([webWorkerTransport(worker)], { spec, backend: 'wasm' });
 */
export function webWorkerTransport<Out = ToReplica, In = FromReplica>(worker: WebWorkerLike): MessageTransport<Out, In> {
  let closing = false;
  return {
    send: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (handler) => worker.addEventListener('message', (event) => handler(event.data as In)),
    onFailure: (handler) => {
      const once = firstFailure(handler, () => closing);
      worker.addEventListener('error', (event) => once(new Error(event.message || 'the worker failed to load its script or stopped with an error')));
      worker.addEventListener('messageerror', () => once(new Error('a message from the worker could not be deserialised (messageerror)')));
    },
    close: async () => {
      closing = true;
      worker.terminate();
    },
  };
}

/**
 * The replica's end of its channel, inside a Web Worker started with {@link webWorkerTransport};
 * `scope` defaults to the worker's global scope.
 *
 * @example
 * serveReplica(workerScopeTransport(), (description) => buildModel(description));
 */
export function workerScopeTransport<Out = FromReplica, In = ToReplica>(scope: WorkerScopeLike = globalThis as unknown as WorkerScopeLike): MessageTransport<Out, In> {
  if (typeof scope.postMessage !== 'function' || typeof scope.close !== 'function') {
    throw new EffnetTrainError('workers', 'workerScopeTransport() runs inside a Web Worker only (its global scope has postMessage and close): call it in the worker\'s entry module');
  }
  return {
    send: (message, transfer) => scope.postMessage(message, transfer ?? []),
    onMessage: (handler) => scope.addEventListener('message', (event) => handler(event.data as In)),
    onFailure: () => undefined,
    close: async () => scope.close(),
  };
}

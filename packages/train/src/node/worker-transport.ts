// The Node glue of data-parallel training: a worker_threads Worker as the run's transport to a
// replica, and the worker's parentPort as the replica's transport back. Everything else of the
// protocol is browser-safe and lives in the main entry.
import { parentPort, type Worker } from 'node:worker_threads';
import { firstFailure, type FromReplica, type MessageTransport, type ToReplica } from '../parallel/replica-protocol.js';

/**
 * The run's end of a channel to a replica running in `worker`; an error or an exit of the worker is
 * a failure. The message types default to data-parallel training's; other protocols name theirs.
 */
export function workerTransport<Out = ToReplica, In = FromReplica>(worker: Worker): MessageTransport<Out, In> {
  let closing = false;
  return {
    send: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (handler) => worker.on('message', (message: In) => handler(message)),
    onFailure: (handler) => {
      const once = firstFailure(handler, () => closing);
      worker.on('error', once);
      worker.on('messageerror', once);
      worker.on('exit', (code) => once(new Error(`the worker exited (code ${code})`)));
    },
    close: async () => {
      closing = true;
      await worker.terminate();
    },
  };
}

/** The replica's end of its channel, inside a worker thread started with {@link workerTransport}. */
export function parentPortTransport<Out = FromReplica, In = ToReplica>(): MessageTransport<Out, In> {
  const port = parentPort;
  if (!port) throw new Error('parentPortTransport() runs inside a worker thread only');
  return {
    send: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (handler) => port.on('message', (message: In) => handler(message)),
    onFailure: () => undefined,
    close: async () => port.close(),
  };
}

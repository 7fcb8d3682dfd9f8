// The messages between a training run and its gradient replicas, and the transport that carries
// them: worker threads in Node (`@effnet/train/node`), web workers in a browser. Weights and
// gradients travel through SharedArrayBuffers laid out by name; messages carry only the step's
// parameters and the replica's shard of the prepared batch (transferred, not copied as JSON).
import type { StepStage } from '@effnet/schedules';

/** One direction of a message channel to or from a replica (a worker thread, a web worker). */
export interface MessageTransport<Out, In> {
  /** Sends a message; `transfer` lists the buffers it hands over without copying. */
  send(message: Out, transfer?: ArrayBuffer[]): void;
  /** Calls `handler` with every message received. */
  onMessage(handler: (message: In) => void): void;
  /** Calls `handler` once if the other side dies (an uncaught error, an exit, a crash). */
  onFailure(handler: (error: Error) => void): void;
  /** Ends the channel (and the worker behind it). */
  close(): Promise<void>;
}

/** What a run tells a replica. */
export type ToReplica =
  | {
      type: 'init';
      /** Opaque description the replica builds its model from (a ModelSpec for effnet models). */
      model: unknown;
      /** Every named variable's values, broadcast before each step. */
      weights: SharedArrayBuffer;
      weightNames: string[];
      /** One slot of gradients per worker replica. */
      gradients: SharedArrayBuffer;
      gradientNames: string[];
      /** This replica's gradient slot. */
      slot: number;
    }
  | {
      type: 'step';
      images: Float32Array;
      imageShape: [number, number, number, number];
      targets: Float32Array;
      targetShape: [number, number];
      stage: StepStage;
      step: number;
      seed: number;
      weightDecay: number;
      frozenBatchNorm?: boolean;
    }
  | { type: 'close' };

/** What a replica answers. */
export type FromReplica = { type: 'ready' } | { type: 'done'; loss: number } | { type: 'error'; message: string };

/** The run's end of a channel to one replica. */
export type ReplicaTransport = MessageTransport<ToReplica, FromReplica>;

/** The replica's end of its channel to the run. */
export type ReplicaPort = MessageTransport<FromReplica, ToReplica>;

/** Float offsets of each named variable in a shared buffer, in the order given. */
export function layoutOf(sizes: number[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const size of sizes) {
    offsets.push(total);
    total += size;
  }
  return { offsets, total };
}

/**
 * `handler` wrapped to run for the first failure only, and not once `closing()` is true (a worker
 * ended on purpose is not a failure): the failure half of each transport.
 */
export function firstFailure(handler: (error: Error) => void, closing: () => boolean): (error: Error) => void {
  let failed = false;
  return (error) => {
    if (failed || closing()) return;
    failed = true;
    handler(error);
  };
}

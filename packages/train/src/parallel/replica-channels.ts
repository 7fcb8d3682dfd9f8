// The run's side of its channels to N - 1 worker replicas: one request in flight per worker, its
// reply matched to it, and the first failure (an error reply, or a worker that died) ending every
// request in flight and every later one with the same one-line error. Training's GradientPool and
// the CLI's inference pool both talk to their workers through it.
import { EffnetTrainError } from '../errors.js';
import type { MessageTransport } from './replica-protocol.js';

interface Waiter<In> {
  resolve: (reply: In) => void;
  reject: (error: Error) => void;
}

/** Request/reply over one transport per worker; replies of `type: 'error'` fail the whole set. */
export class ReplicaChannels<Out, In extends { type: string }> {
  private readonly waiters: (Waiter<In> | null)[];
  private failure: EffnetTrainError | null = null;

  constructor(readonly transports: MessageTransport<Out, In>[]) {
    this.waiters = transports.map(() => null);
    transports.forEach((transport, i) => {
      transport.onMessage((reply) => {
        // An error reply fails every request in flight, this worker's own included.
        if (reply.type === 'error') return this.fail(i, (reply as { message?: string }).message ?? 'failed');
        const waiter = this.waiters[i];
        this.waiters[i] = null;
        waiter?.resolve(reply);
      });
      transport.onFailure((error) => this.fail(i, error.message));
    });
  }

  /** Replicas, the calling thread's included. */
  get size(): number {
    return this.transports.length + 1;
  }

  /** Throws the first failure, if any. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  private fail(worker: number, message: string): void {
    this.failure ??= new EffnetTrainError('workers', `worker ${worker + 1} of ${this.size} failed: ${message.split('\n')[0]}`);
    this.waiters.forEach((waiter, i) => {
      this.waiters[i] = null;
      waiter?.reject(this.failure!);
    });
  }

  /** Sends `message` to worker `worker` (handing over `transfer`) and resolves with its reply. */
  ask(worker: number, message: Out, transfer: ArrayBuffer[] = []): Promise<In> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiters[worker] = { resolve, reject };
      this.transports[worker]!.send(message, transfer);
    });
  }

  /**
   * Every reply of `replies`, in order. A failure is held, not reported as unhandled, until the
   * result is awaited: the caller computes its own share meanwhile.
   */
  allReplies(replies: Promise<In>[]): Promise<In[]> {
    const all = Promise.all(replies);
    all.catch(() => undefined);
    return all;
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(this.transports.map((transport) => transport.close().catch(() => undefined)));
  }
}

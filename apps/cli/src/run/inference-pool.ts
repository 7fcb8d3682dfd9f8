// The worker-thread pool of `effnet eval --workers N` and `effnet predict --workers N`: the main
// thread's model and N - 1 worker threads, each of which loads the same model folder on its own
// backend. Work goes out N batches at a time (the main thread computes the first meanwhile) and the
// answers come back in input order, so the figures equal those of one thread. A worker that fails
// ends the command with one line, as in training.
import type { EfficientNet } from '@effnet/models';
import { EffnetTrainError, ReplicaChannels, classifierOutputs, standardPrepare, type Batch, type ClassifierOutputs, type EvaluationReplicas, type MessageTransport } from '@effnet/train';
import { evaluationStage, probabilities } from './inference.js';
import type { ModelMeta } from './model-meta.js';

/** What the command tells an inference worker. */
export type ToInference = { type: 'load'; folder: string; backend: string } | { type: 'evaluate' | 'predict'; batch: Batch };

/** What an inference worker answers: `values` are logits and losses (evaluate) or probabilities (predict). */
export type FromInference = { type: 'ready' } | { type: 'outputs'; logits: Float32Array; losses: Float32Array } | { type: 'probabilities'; values: Float32Array } | { type: 'error'; message: string };

/** The command's end of a channel to an inference worker. */
export type InferenceTransport = MessageTransport<ToInference, FromInference>;

/** The worker's end of its channel. */
export type InferencePort = MessageTransport<FromInference, ToInference>;

/** The logits and per-example losses of a batch, as `effnet eval` computes them. */
export function evaluationOutputs(model: EfficientNet, meta: ModelMeta, batch: Batch): Promise<ClassifierOutputs> {
  const prepare = standardPrepare({ numClasses: meta.classNames.length, mean: meta.mean, std: meta.std });
  return classifierOutputs(model, batch, prepare, evaluationStage(meta.imageSize));
}

/** A private copy of a batch whose buffers can be transferred (a batch may be a view of a larger buffer). */
function transferable(batch: Batch): { batch: Batch; buffers: ArrayBuffer[] } {
  const copy = { ...batch, images: batch.images.slice(), labels: batch.labels.slice() };
  return { batch: copy, buffers: [copy.images.buffer as ArrayBuffer, copy.labels.buffer as ArrayBuffer] };
}

/** N inference replicas of one model folder: this thread's model and one behind each transport. */
export class InferencePool implements EvaluationReplicas {
  private readonly channels: ReplicaChannels<ToInference, FromInference>;

  /** `model` and `meta` are this thread's, loaded from the folder the workers load. */
  constructor(transports: InferenceTransport[], private readonly model: EfficientNet, private readonly meta: ModelMeta) {
    this.channels = new ReplicaChannels(transports);
  }

  /** Replicas, this thread's included: batches handed over at once. */
  get size(): number {
    return this.channels.size;
  }

  /** Has every worker load the model folder on `backend`; resolves when all are ready. */
  async start(folder: string, backend: string): Promise<void> {
    await Promise.all(this.channels.transports.map((_, i) => this.channels.ask(i, { type: 'load', folder, backend })));
  }

  /** Sends batches 1.. to the workers, runs batch 0 here meanwhile, and returns every answer in order. */
  private async spread<T>(type: 'evaluate' | 'predict', batches: Batch[], local: (batch: Batch) => Promise<T>, read: (reply: FromInference) => T): Promise<T[]> {
    this.channels.check();
    const replies = batches.slice(1).map((batch, i) => {
      const { batch: copy, buffers } = transferable(batch);
      return this.channels.ask(i, { type, batch: copy }, buffers);
    });
    const settled = this.channels.allReplies(replies);
    const first = await local(batches[0]!);
    return [first, ...(await settled).map(read)];
  }

  /** Logits and per-example losses of each batch (at most {@link InferencePool.size}), in order. */
  outputs(batches: Batch[]): Promise<ClassifierOutputs[]> {
    return this.spread('evaluate', batches, (batch) => evaluationOutputs(this.model, this.meta, batch), (reply) => {
      if (reply.type !== 'outputs') throw new EffnetTrainError('workers', `a worker answered '${reply.type}' to evaluate`);
      return { logits: reply.logits, losses: reply.losses };
    });
  }

  /** Softmax probabilities of each batch (at most {@link InferencePool.size}), in order. */
  probabilities(batches: Batch[]): Promise<Float32Array[]> {
    return this.spread('predict', batches, (batch) => probabilities(this.model, this.meta, batch), (reply) => {
      if (reply.type !== 'probabilities') throw new EffnetTrainError('workers', `a worker answered '${reply.type}' to predict`);
      return reply.values;
    });
  }

  /** Ends the workers. */
  close(): Promise<void> {
    return this.channels.close();
  }
}

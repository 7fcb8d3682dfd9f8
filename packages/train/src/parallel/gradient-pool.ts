// The run's side of data-parallel training. Replica 0 is the run's own model on the calling thread;
// replicas 1..N-1 sit behind transports (worker threads, web workers). Each step broadcasts every
// named variable through shared memory, hands each worker its shard of the already prepared global
// batch, computes shard 0 here meanwhile, and averages the gradients (weighted by shard size) from
// the shared buffer. The caller applies one optimiser update to the run's model; the next broadcast
// carries it to every replica. Batch norm is per replica (as PyTorch DDP without SyncBN): only
// replica 0's moving statistics are kept, and broadcast to the others with the weights.
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyGrads } from '../cross-entropy-loss.js';
import { EffnetTrainError } from '../errors.js';
import type { GradientReplicas, LossContext, PreparedBatch } from '../trainer-options.js';
import type { TrainableModel } from '../trainable-model.js';
import { ReplicaChannels } from './replica-channels.js';
import { layoutOf, type FromReplica, type ReplicaTransport, type ToReplica } from './replica-protocol.js';

/** Example counts of each replica's shard: as even as possible, the first ones one larger. */
export function shardSizes(count: number, replicas: number): number[] {
  return Array.from({ length: replicas }, (_, i) => Math.floor(count / replicas) + (i < count % replicas ? 1 : 0));
}

/**
 * `parts[0] * weights[0] + parts[1] * weights[1] + ...` in float32, rounded as
 * `tf.addN(parts.map((p, i) => tf.mul(p, weights[i])))` rounds it (each product and each partial
 * sum to float32), so it equals the tensor ops bit for bit without their kernel calls.
 */
export function weightedSum(parts: Float32Array[], weights: number[]): Float32Array {
  const sum = new Float32Array(parts[0]!.length);
  parts.forEach((part, p) => {
    const weight = Math.fround(weights[p]!);
    for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + Math.fround(part[i]! * weight);
  });
  return sum;
}

/**
 * The shard-weighted mean of this thread's gradients and the workers' (read in place from their
 * slots of the shared buffer), one tensor per variable: plain arithmetic on the arrays, where the
 * tensor form costs 4 kernel calls and a copy per variable and worker.
 */
function averageGradients(variables: tf.Variable[], local: tf.NamedTensorMap, sizes: number[], gradients: Started['gradients']): tf.NamedTensorMap {
  const count = sizes.reduce((a, b) => a + b, 0);
  const grads: tf.NamedTensorMap = {};
  variables.forEach((variable, v) => {
    const parts = [local[variable.name]!.dataSync() as Float32Array];
    const weights = [sizes[0]! / count];
    for (let w = 1; w < sizes.length; w++) {
      if (sizes[w] === 0) continue;
      const base = (w - 1) * gradients.total + gradients.offsets[v]!;
      parts.push(gradients.view.subarray(base, base + variable.size));
      weights.push(sizes[w]! / count);
    }
    grads[variable.name] = tf.tensor(weightedSum(parts, weights), variable.shape, 'float32');
  });
  return grads;
}

interface Started {
  weights: { view: Float32Array; variables: tf.Variable[]; offsets: number[] };
  gradients: { view: Float32Array; names: string[]; offsets: number[]; total: number };
}

/**
 * N data-parallel replicas of one model: this thread's and one behind each transport. Give it to
 * the Trainer as `replicas`; the Trainer starts it on the first step. Close it when the run ends.
 */
export class GradientPool implements GradientReplicas {
  private readonly channels: ReplicaChannels<ToReplica, FromReplica>;
  private started: Started | null = null;

  /**
   * @param transports - one per worker replica (N - 1 of them for N replicas).
   * @param model - what each replica builds its model from (for effnet models, the ModelSpec).
   */
  constructor(transports: ReplicaTransport[], private readonly model: unknown) {
    this.channels = new ReplicaChannels(transports);
  }

  /** Replicas, this thread's included. */
  get size(): number {
    return this.channels.size;
  }

  /** Sends every worker the layout of the shared buffers and waits until each has built its replica. */
  async start(model: TrainableModel, trainable: tf.Variable[]): Promise<void> {
    const named = Object.entries(model.namedVariables());
    const byVariable = new Map(named.map(([name, variable]) => [variable, name]));
    const gradientNames = trainable.map((variable) => byVariable.get(variable)!);
    const weightLayout = layoutOf(named.map(([, v]) => v.size));
    const gradientLayout = layoutOf(trainable.map((v) => v.size));
    const weights = new SharedArrayBuffer(weightLayout.total * 4);
    const gradients = new SharedArrayBuffer(Math.max(1, this.channels.transports.length * gradientLayout.total) * 4);
    const weightNames = named.map(([name]) => name);
    await Promise.all(this.channels.transports.map((_, i) => this.channels.ask(i, { type: 'init', model: this.model, weights, weightNames, gradients, gradientNames, slot: i })));
    this.started = {
      weights: { view: new Float32Array(weights), variables: named.map(([, v]) => v), offsets: weightLayout.offsets },
      gradients: { view: new Float32Array(gradients), names: gradientNames, offsets: gradientLayout.offsets, total: gradientLayout.total },
    };
  }

  /** Whether {@link GradientPool.start} has run. */
  get isStarted(): boolean {
    return this.started !== null;
  }

  /**
   * The loss and the gradients of `variables` (keyed by variable name, as `tf.variableGrads` keys
   * them) of the default cross-entropy loss plus weight decay, averaged over the replicas' shards
   * of `batch`. The caller disposes the gradients.
   */
  async gradients(model: TrainableModel, variables: tf.Variable[], batch: PreparedBatch, context: LossContext, weightDecay: number): Promise<{ loss: number; grads: tf.NamedTensorMap }> {
    if (!this.started) throw new EffnetTrainError('workers', 'the pool was not started: call start() first');
    this.channels.check();
    const { weights, gradients } = this.started;
    const count = batch.images.shape[0];
    const sizes = shardSizes(count, this.size);
    weights.variables.forEach((variable, i) => weights.view.set(variable.dataSync() as Float32Array, weights.offsets[i]!));
    const [, height, width, channels] = batch.images.shape;
    const classes = batch.targets.shape[1];
    const images = batch.images.dataSync() as Float32Array;
    const targets = batch.targets.dataSync() as Float32Array;
    let start = sizes[0]!;
    const replies = this.channels.transports.map((_, i) => {
      const size = sizes[i + 1]!;
      const from = start;
      start += size;
      if (size === 0) return Promise.resolve<FromReplica>({ type: 'done', loss: 0 });
      const shardImages = images.slice(from * height * width * channels, (from + size) * height * width * channels);
      const shardTargets = targets.slice(from * classes, (from + size) * classes);
      return this.channels.ask(
        i,
        { type: 'step', images: shardImages, imageShape: [size, height, width, channels], targets: shardTargets, targetShape: [size, classes], stage: context.stage, step: context.step, seed: context.seed, weightDecay, ...(context.frozenBatchNorm ? { frozenBatchNorm: true } : {}) },
        [shardImages.buffer, shardTargets.buffer],
      );
    });
    const settled = this.channels.allReplies(replies);
    const local = tf.tidy(() => {
      const shard = { images: tf.slice(batch.images, 0, sizes[0]), targets: tf.slice(batch.targets, 0, sizes[0]) };
      return crossEntropyGrads(model, shard, context, variables, weightDecay);
    });
    let answers: FromReplica[];
    try {
      answers = await settled;
    } catch (error) {
      tf.dispose([local.value, ...Object.values(local.grads)]);
      throw error;
    }
    const share = sizes.map((size) => size / count);
    let loss = local.value.dataSync()[0]! * share[0]!;
    answers.forEach((answer, i) => (loss += answer.type === 'done' ? answer.loss * share[i + 1]! : 0));
    const grads = averageGradients(variables, local.grads, sizes, gradients);
    tf.dispose([local.value, ...Object.values(local.grads)]);
    return { loss, grads };
  }

  /** Closes every transport (ends the workers). */
  close(): Promise<void> {
    return this.channels.close();
  }
}

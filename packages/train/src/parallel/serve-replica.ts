// The replica's side of data-parallel training: build a model replica once, then for every step
// load the broadcast weights, compute the gradients of the default loss on this replica's shard
// and write them into its slot of the shared gradient buffer. Runs in any worker (Node worker
// thread or browser web worker) that has a tfjs backend with gradients registered.
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyGrads } from '../cross-entropy-loss.js';
import type { TrainableModel } from '../trainable-model.js';
import { layoutOf, type MessageTransport, type ReplicaPort, type ToReplica } from './replica-protocol.js';

type Init = Extract<ToReplica, { type: 'init' }>;
type Step = Extract<ToReplica, { type: 'step' }>;

/** A replica built from the run's model description. */
interface Replica {
  model: TrainableModel;
  weights: { view: Float32Array; names: string[]; offsets: number[] };
  gradients: { view: Float32Array; names: string[]; offsets: number[] };
}

function attach(init: Init, model: TrainableModel): Replica {
  const named = model.namedVariables();
  const sizes = (names: string[]) =>
    names.map((name) => {
      const variable = named[name];
      if (!variable) throw new Error(`the replica's model has no variable '${name}': build it from the same description as the run's model`);
      return variable.size;
    });
  const weights = layoutOf(sizes(init.weightNames));
  const gradients = layoutOf(sizes(init.gradientNames));
  return {
    model,
    weights: { view: new Float32Array(init.weights), names: init.weightNames, offsets: weights.offsets },
    gradients: { view: new Float32Array(init.gradients, init.slot * gradients.total * 4, gradients.total), names: init.gradientNames, offsets: gradients.offsets },
  };
}

function step(replica: Replica, message: Step): number {
  const named = replica.model.namedVariables();
  const { weights, gradients } = replica;
  weights.names.forEach((name, i) => {
    const variable = named[name]!;
    // slice(): a private copy, so a backend that keeps the array never sees the next broadcast.
    tf.tidy(() => variable.assign(tf.tensor(weights.view.slice(weights.offsets[i]!, weights.offsets[i]! + variable.size), variable.shape, variable.dtype)));
  });
  const variables = gradients.names.map((name) => named[name]!);
  return tf.tidy(() => {
    const images = tf.tensor4d(message.images, message.imageShape);
    const targets = tf.tensor2d(message.targets, message.targetShape);
    const context = { stage: message.stage, step: message.step, seed: message.seed, ...(message.frozenBatchNorm ? { frozenBatchNorm: true } : {}) };
    const { value, grads } = crossEntropyGrads(replica.model, { images, targets }, context, variables, message.weightDecay);
    variables.forEach((variable, i) => gradients.view.set(grads[variable.name]!.dataSync() as Float32Array, gradients.offsets[i]!));
    return value.dataSync()[0]!;
  });
}

/**
 * Answers every message that comes over `port` with `handle`, which sends its own replies; an error
 * it throws goes back as one `{ type: 'error', message }` reply (its first line reaches the run's
 * one-line error). The worker side of every replica protocol: training's and the CLI's inference.
 */
export function serveRequests<Out, In>(port: MessageTransport<Out | { type: 'error'; message: string }, In>, handle: (message: In) => Promise<void>): void {
  port.onMessage((message) => {
    handle(message).catch((error: unknown) => port.send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
  });
}

/**
 * Serves one data-parallel replica on `port` until the run closes it: `build` turns the run's model
 * description (for effnet models, the ModelSpec) into a model with the same variable names. Call it
 * in a worker after choosing the worker's backend; errors go back to the run as one message.
 */
export function serveReplica(port: ReplicaPort, build: (model: unknown) => TrainableModel | Promise<TrainableModel>): void {
  let replica: Replica | null = null;
  serveRequests(port, async (message) => {
    if (message.type === 'init') {
      replica = attach(message, await build(message.model));
      port.send({ type: 'ready' });
    } else if (message.type === 'step') {
      if (!replica) throw new Error('a step arrived before init');
      port.send({ type: 'done', loss: step(replica, message) });
    } else {
      await port.close();
    }
  });
}

// The Module contract every effnet layer and block follows (docs/architecture.md, "The interfaces, in words"):
// `apply(x, ctx)` with `ctx.training` and a seeded random source, `parameters()` with stable
// hierarchical names, and non-trainable state (BN moving statistics) listed apart by `state()`.
// Layers run their forward pass inside tf.tidy and never pick a backend or hold global state.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBlockError } from './errors.js';
import type { ParamEntry, ParamScope } from './param-store.js';
import { SeededRandom } from './seeded-random.js';

/** What a layer needs to know when it runs. */
export interface ApplyContext {
  /** Training mode: BN batch statistics and moving-average updates, dropout and drop path on. */
  readonly training: boolean;
  /** Where dropout and drop-path masks take their seeds from, in call order. */
  readonly random: SeededRandom;
  /**
   * Drop-path rate for the block this context is passed to, overriding the block's own rate
   * (a network passes each block its `p · i / N` when a schedule changes `p`).
   */
  readonly dropPath?: number;
  /** Batch norm uses its moving statistics and leaves them unchanged even in training (fine-tuning with frozen batch norm). */
  readonly frozenBatchNorm?: boolean;
}

/** Options of {@link applyContext}. */
export interface ApplyContextOptions {
  /** Training mode. */
  training: boolean;
  /** Seed of the pass's random masks (default 0): same seed, same masks, on every backend. */
  seed?: number;
  /** Frozen batch norm (see {@link ApplyContext.frozenBatchNorm}). */
  frozenBatchNorm?: boolean;
}

/** A context for one forward pass. */
export function applyContext(options: ApplyContextOptions): ApplyContext {
  return { training: options.training, random: new SeededRandom(options.seed ?? 0), ...(options.frozenBatchNorm ? { frozenBatchNorm: true } : {}) };
}

/** A layer or block: parameters under one name prefix and a forward pass. */
export interface Module<In extends tf.Tensor = tf.Tensor4D, Out extends tf.Tensor = tf.Tensor4D> {
  /** The name prefix of the layer's parameters, e.g. `blocks.3`. */
  readonly name: string;
  /** Runs the layer; inputs are NHWC. */
  apply(x: In, ctx: ApplyContext): Out;
  /** Trainable parameters, by hierarchical name. */
  parameters(): ParamEntry[];
  /** Non-trainable state (BN moving statistics). */
  state(): ParamEntry[];
}

/** Base of every layer: names, parameter listing and a tidy forward pass. */
export abstract class Layer<In extends tf.Tensor = tf.Tensor4D, Out extends tf.Tensor = tf.Tensor4D> implements Module<In, Out> {
  /** @param scope - Where the layer's parameters live. */
  protected constructor(protected readonly scope: ParamScope) {}

  /** The name prefix of the layer's parameters. */
  get name(): string {
    return this.scope.prefix;
  }

  /** Runs {@link Layer.forward} inside tf.tidy, so only the output survives. */
  apply(x: In, ctx: ApplyContext): Out {
    return tf.tidy(() => this.forward(x, ctx));
  }

  /** Trainable parameters of this layer and its sub-layers. */
  parameters(): ParamEntry[] {
    return this.scope.list().filter((entry) => entry.trainable);
  }

  /** BN moving statistics of this layer and its sub-layers. */
  state(): ParamEntry[] {
    return this.scope.list().filter((entry) => !entry.trainable);
  }

  /** The forward pass (called inside tf.tidy). */
  protected abstract forward(x: In, ctx: ApplyContext): Out;
}

/**
 * Checks that `x` is an NHWC batch with `channels` channels.
 *
 * @throws EffnetBlockError naming the layer and the shape it got.
 */
export function requireImages(where: string, x: tf.Tensor, channels: number): tf.Tensor4D {
  if (x.rank !== 4 || x.shape[3] !== channels) {
    throw new EffnetBlockError(where, `expected an NHWC batch [N, H, W, ${channels}], got shape [${x.shape.join(', ')}]`);
  }
  return x as tf.Tensor4D;
}

/**
 * Checks a dropout or drop-path rate: a number in [0, 1).
 *
 * @throws EffnetBlockError otherwise.
 */
export function requireRate(where: string, rate: number): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new EffnetBlockError(where, `rate must be a number in [0, 1), got ${rate}`);
  }
  return rate;
}

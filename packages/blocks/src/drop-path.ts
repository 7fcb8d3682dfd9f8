// Drop path (stochastic depth, Huang et al. 2016; torchvision's StochasticDepth in "row" mode): in
// training each sample's residual branch is zeroed with probability p and the survivors scaled by
// 1/(1−p); in evaluation it is the identity. The mask's seed comes from the context's seeded
// random source, so a pass with the same seed is replayed exactly, on every backend.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBlockError } from './errors.js';
import { Layer, requireRate, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';

/**
 * Drops whole samples of `x` with probability `rate` and scales the rest by 1/(1 − rate).
 *
 * @param x - A batch (the first axis is the sample).
 * @param rate - Drop probability in [0, 1).
 * @param seed - Seed of the per-sample mask.
 * @throws EffnetBlockError for a rate outside [0, 1).
 */
export function dropPath<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  requireRate('dropPath', rate);
  if (rate === 0) return tf.clone(x);
  const keep = 1 - rate;
  return tf.tidy(() => {
    const maskShape = [x.shape[0]!, ...x.shape.slice(1).map(() => 1)];
    const mask = tf.floor(tf.add(tf.randomUniform(maskShape, 0, 1, 'float32', seed), keep));
    return tf.mul(x, tf.div(mask, keep)) as T;
  });
}

/** Drop path as a layer: rate from `ctx.dropPath` when given, else its own. */
export class DropPath extends Layer<tf.Tensor, tf.Tensor> {
  /**
   * @param scope - Its name (it has no parameters).
   * @param rate - Default drop probability in [0, 1).
   * @throws EffnetBlockError for a rate outside [0, 1).
   */
  constructor(
    scope: ParamScope,
    readonly rate: number,
  ) {
    super(scope);
    requireRate(scope.prefix, rate);
  }

  /** Identity in evaluation or at rate 0 (the input itself is returned); a seeded mask in training. */
  override apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    const rate = ctx.dropPath ?? this.rate;
    if (ctx.dropPath !== undefined) requireRate(this.name, rate);
    if (!ctx.training || rate === 0) return x;
    return super.apply(x, ctx);
  }

  protected forward(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    const rate = ctx.dropPath ?? this.rate;
    if (x.rank < 1) throw new EffnetBlockError(this.name, 'needs a batch: a tensor of rank ≥ 1');
    return dropPath(x, rate, ctx.random.nextSeed());
  }
}

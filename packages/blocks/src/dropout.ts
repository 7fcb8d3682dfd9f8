// Dropout (Srivastava et al. 2014) as a layer: in training each element is zeroed with probability
// p and the rest scaled by 1/(1 − p); identity in evaluation. The mask is seeded from the context's
// random source, so the same seed gives the same mask.
import * as tf from '@tensorflow/tfjs-core';
import { Layer, requireRate, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';

/** Dropout with a default rate; `apply(x, ctx, rate)` may override it per call. */
export class Dropout extends Layer<tf.Tensor, tf.Tensor> {
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

  /**
   * Identity (the input itself) in evaluation or at rate 0; a seeded mask in training.
   *
   * @param x - Any tensor.
   * @param ctx - Training flag and random source.
   * @param rate - This call's rate (default: the layer's).
   */
  override apply(x: tf.Tensor, ctx: ApplyContext, rate: number = this.rate): tf.Tensor {
    requireRate(this.name, rate);
    if (!ctx.training || rate === 0) return x;
    const seed = ctx.random.nextSeed();
    return tf.tidy(() => tf.dropout(x, rate, undefined, seed));
  }

  protected forward(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    return tf.dropout(x, this.rate, undefined, ctx.random.nextSeed());
  }
}

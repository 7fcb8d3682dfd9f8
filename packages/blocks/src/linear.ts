// A fully connected layer on [batch, features] tensors, initialised as torchvision's EfficientNet
// classifier: weights uniform(−1/√out, 1/√out), bias 0. Parameters `kernel` ([in, out]) and `bias`.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBlockError } from './errors.js';
import { constant, linearUniform } from './initializers.js';
import { Layer, type ApplyContext } from './module.js';
import { valueOf, type ParamEntry, type ParamScope } from './param-store.js';

/** Options of a {@link Linear}. */
export interface LinearOptions {
  /** Input features. */
  inFeatures: number;
  /** Output features. */
  outFeatures: number;
  /** Whether it adds a bias (default true). */
  bias?: boolean;
}

/** y = x·W + b. */
export class Linear extends Layer<tf.Tensor2D, tf.Tensor2D> {
  /** Weights [in, out]. */
  readonly kernel: ParamEntry;
  /** Bias [out], when asked for. */
  readonly bias: ParamEntry | null;

  /**
   * @param scope - Where the parameters live.
   * @param options - Feature counts and bias.
   */
  constructor(
    scope: ParamScope,
    readonly options: LinearOptions,
  ) {
    super(scope);
    this.kernel = scope.add('kernel', [options.inFeatures, options.outFeatures], linearUniform(options.outFeatures));
    this.bias = options.bias === false ? null : scope.add('bias', [options.outFeatures], constant(0));
  }

  protected forward(x: tf.Tensor2D, _ctx: ApplyContext): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.options.inFeatures) {
      throw new EffnetBlockError(this.name, `expected [batch, ${this.options.inFeatures}], got shape [${x.shape.join(', ')}]`);
    }
    const y = tf.matMul(x, valueOf<tf.Tensor2D>(this.kernel)) as tf.Tensor2D;
    return this.bias ? (tf.add(y, valueOf<tf.Tensor1D>(this.bias)) as tf.Tensor2D) : y;
  }
}

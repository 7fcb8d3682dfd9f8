// Squeeze-and-excitation (EfficientNet 2019 §4, torchvision's SqueezeExcitation): global average
// pool, 1×1 conv to the squeeze width + SiLU, 1×1 conv back + sigmoid, then scale the input.
import * as tf from '@tensorflow/tfjs-core';
import { constant, kaimingNormalFanOut, type ParamStore } from './param-store.js';

/** An SE unit under `name` (`reduce` and `expand` convolutions with biases). */
export class SqueezeExcite {
  private readonly reduceKernel: tf.Variable;
  private readonly reduceBias: tf.Variable;
  private readonly expandKernel: tf.Variable;
  private readonly expandBias: tf.Variable;

  constructor(store: ParamStore, name: string, channels: number, squeezed: number) {
    this.reduceKernel = store.add(`${name}.reduce.kernel`, [1, 1, channels, squeezed], kaimingNormalFanOut(squeezed));
    this.reduceBias = store.add(`${name}.reduce.bias`, [squeezed], constant(0));
    this.expandKernel = store.add(`${name}.expand.kernel`, [1, 1, squeezed, channels], kaimingNormalFanOut(channels));
    this.expandBias = store.add(`${name}.expand.bias`, [channels], constant(0));
  }

  /** x · σ(W₂ SiLU(W₁ mean(x) + b₁) + b₂). */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const pooled = tf.mean(x, [1, 2], true) as tf.Tensor4D;
    const reduced = tf.add(tf.conv2d(pooled, this.reduceKernel as tf.Tensor4D, 1, 'valid'), this.reduceBias) as tf.Tensor4D;
    const hidden = tf.mul(reduced, tf.sigmoid(reduced));
    const gate = tf.sigmoid(tf.add(tf.conv2d(hidden as tf.Tensor4D, this.expandKernel as tf.Tensor4D, 1, 'valid'), this.expandBias));
      return tf.mul(x, gate);
    });
  }
}

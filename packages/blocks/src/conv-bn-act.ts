// Convolution (optionally depthwise) + batch normalisation + optional activation: the unit every
// EfficientNet layer is made of (torchvision's Conv2dNormActivation). Padding is either PyTorch's
// symmetric (k−1)/2 on every side or TensorFlow's `same`, which on stride 2 with even inputs pads
// one more pixel at the bottom and right. BN follows PyTorch: batch statistics in training, the
// moving average updated with momentum m (PyTorch sense) and the unbiased batch variance.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, BatchNormSpec, PaddingConvention } from '@effnet/scaling';
import { constant, kaimingNormalFanOut, type ParamStore } from './param-store.js';

/** Options of a ConvBNAct. */
export interface ConvBNActOptions {
  /** Input channels. */
  inChannels: number;
  /** Output channels (must equal `inChannels` when depthwise). */
  outChannels: number;
  /** Square kernel size. */
  kernel: number;
  /** Stride. */
  stride: number;
  /** Depthwise convolution (groups = channels). */
  depthwise?: boolean;
  /** Activation after BN, or none. */
  activation: Activation | null;
  /** Padding convention. */
  padding: PaddingConvention;
  /** BN settings. */
  batchNorm: BatchNormSpec;
}

/** Applies an activation by name. */
export function activate(x: tf.Tensor4D, activation: Activation | null): tf.Tensor4D {
  switch (activation) {
    case null:
      return x;
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  }
}

/** A conv + BN + activation layer whose parameters live in a ParamStore under `name`. */
export class ConvBNAct {
  private readonly kernel: tf.Variable;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly movingMean: tf.Variable;
  private readonly movingVariance: tf.Variable;

  constructor(store: ParamStore, readonly name: string, readonly options: ConvBNActOptions) {
    const { inChannels, outChannels, kernel: k, depthwise } = options;
    if (depthwise && inChannels !== outChannels) throw new Error(`${name}: a depthwise conv keeps its channels (${inChannels} ≠ ${outChannels})`);
    const shape = depthwise ? [k, k, inChannels, 1] : [k, k, inChannels, outChannels];
    const fanOut = depthwise ? k * k : k * k * outChannels;
    this.kernel = store.add(`${name}.conv.kernel`, shape, kaimingNormalFanOut(fanOut));
    this.gamma = store.add(`${name}.bn.gamma`, [outChannels], constant(1));
    this.beta = store.add(`${name}.bn.beta`, [outChannels], constant(0));
    this.movingMean = store.add(`${name}.bn.movingMean`, [outChannels], constant(0), false);
    this.movingVariance = store.add(`${name}.bn.movingVariance`, [outChannels], constant(1), false);
  }

  /** conv → BN (batch statistics and a moving-average update in training) → activation. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => this.run(x, training));
  }

  private run(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const { stride, padding, depthwise, kernel: k, batchNorm, activation } = this.options;
    const pad = padding === 'same' ? 'same' : (k - 1) / 2;
    const y = depthwise
      ? tf.depthwiseConv2d(x, this.kernel as tf.Tensor4D, stride, pad)
      : tf.conv2d(x, this.kernel as tf.Tensor4D, stride, pad);
    let normed: tf.Tensor4D;
    if (training) {
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      normed = tf.batchNorm4d(y, mean as tf.Tensor1D, variance as tf.Tensor1D, this.beta as tf.Tensor1D, this.gamma as tf.Tensor1D, batchNorm.eps);
      const n = y.shape[0] * y.shape[1] * y.shape[2];
      const m = batchNorm.momentum;
      const unbiased = tf.mul(variance, n / Math.max(1, n - 1));
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, 1 - m), tf.mul(mean, m)));
      this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, 1 - m), tf.mul(unbiased, m)));
    } else {
      normed = tf.batchNorm4d(y, this.movingMean as tf.Tensor1D, this.movingVariance as tf.Tensor1D, this.beta as tf.Tensor1D, this.gamma as tf.Tensor1D, batchNorm.eps);
    }
    return activate(normed, activation);
  }
}

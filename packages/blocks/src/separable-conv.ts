// A separable convolution as EfficientDet's BiFPN and heads use it (google/automl
// `SeparableConv2D`): depthwise k×k (no bias, no norm) → pointwise 1×1 (with bias) → optional
// BN → optional activation. Sub-layers `depthwise`, `pointwise`, `bn`.
import type * as tf from '@tensorflow/tfjs-core';
import type { Activation, BatchNormSpec, PaddingConvention } from '@effnet/scaling';
import { activate } from './activation.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { Layer, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';

/** Options of a {@link SeparableConv}. */
export interface SeparableConvOptions {
  /** Input channels. */
  inChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Kernel of the depthwise convolution (default 3). */
  kernel?: number;
  /** Stride of the depthwise convolution (default 1). */
  stride?: number;
  /** Padding convention. */
  padding: PaddingConvention;
  /** BN after the pointwise convolution; `null` for none (a prediction layer). */
  batchNorm: BatchNormSpec | null;
  /** Activation at the end; `null` for none. */
  activation: Activation | null;
  /** Whether the pointwise convolution has a bias (default true). */
  bias?: boolean;
}

/** depthwise → pointwise (+ bias) → BN → activation. */
export class SeparableConv extends Layer {
  /** The depthwise k×k convolution. */
  readonly depthwise: Conv2d;
  /** The pointwise 1×1 convolution. */
  readonly pointwise: Conv2d;
  /** The batch norm, when asked for. */
  readonly bn: BatchNorm | null;

  /**
   * @param scope - Where the parameters live.
   * @param options - Channels, kernel, stride, padding, BN, activation, bias.
   */
  constructor(
    scope: ParamScope,
    readonly options: SeparableConvOptions,
  ) {
    super(scope);
    const { inChannels, outChannels, padding } = options;
    this.depthwise = new Conv2d(scope.scope('depthwise'), { inChannels, outChannels: inChannels, kernel: options.kernel ?? 3, stride: options.stride ?? 1, groups: inChannels, padding });
    this.pointwise = new Conv2d(scope.scope('pointwise'), { inChannels, outChannels, kernel: 1, padding, bias: options.bias ?? true });
    this.bn = options.batchNorm ? new BatchNorm(scope.scope('bn'), { channels: outChannels, ...options.batchNorm }) : null;
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    let y = this.pointwise.apply(this.depthwise.apply(x, ctx), ctx);
    if (this.bn) y = this.bn.apply(y, ctx);
    return activate(y, this.options.activation);
  }
}

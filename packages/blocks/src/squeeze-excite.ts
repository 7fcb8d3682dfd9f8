// Squeeze-and-excitation (Hu et al. 2018; EfficientNet 2019 §4; torchvision's SqueezeExcitation):
// global average pool, 1×1 conv to the squeeze width + SiLU, 1×1 conv back + sigmoid, then scale
// the input channel-wise. Sub-layers `reduce` and `expand`, both convolutions with biases.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '@effnet/scaling';
import { activate } from './activation.js';
import { Conv2d } from './conv2d.js';
import { globalAveragePool } from './global-pool.js';
import { Layer, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';

/** Options of a {@link SqueezeExcite}. */
export interface SqueezeExciteOptions {
  /** Channels of the tensor being gated. */
  channels: number;
  /** Bottleneck width (EfficientNet: `max(1, floor(blockIn · 0.25))`). */
  squeezed: number;
  /** Activation of the bottleneck (default SiLU). */
  activation?: Activation;
}

/** x · σ(W₂ act(W₁ mean(x) + b₁) + b₂). */
export class SqueezeExcite extends Layer {
  /** The 1×1 convolution down to the bottleneck. */
  readonly reduce: Conv2d;
  /** The 1×1 convolution back to the gated width. */
  readonly expand: Conv2d;

  /**
   * @param scope - Where the parameters live.
   * @param options - Channels, bottleneck width and activation.
   */
  constructor(
    scope: ParamScope,
    readonly options: SqueezeExciteOptions,
  ) {
    super(scope);
    this.reduce = new Conv2d(scope.scope('reduce'), { inChannels: options.channels, outChannels: options.squeezed, kernel: 1, bias: true });
    this.expand = new Conv2d(scope.scope('expand'), { inChannels: options.squeezed, outChannels: options.channels, kernel: 1, bias: true });
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    const pooled = globalAveragePool(x, true);
    const hidden = activate(this.reduce.apply(pooled, ctx), this.options.activation ?? 'silu');
    return tf.mul(x, tf.sigmoid(this.expand.apply(hidden, ctx)));
  }
}

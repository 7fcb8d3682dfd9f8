// Convolution (regular, grouped or depthwise) + batch normalisation + optional activation: the unit
// every EfficientNet layer is made of (torchvision's Conv2dNormActivation). Sub-layers `conv` and
// `bn`, so a stem's parameters are `stem.conv.kernel`, `stem.bn.gamma`, …
import type * as tf from '@tensorflow/tfjs-core';
import type { Activation, BatchNormSpec, PaddingConvention } from '@effnet/scaling';
import { activate } from './activation.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { EffnetBlockError } from './errors.js';
import { Layer, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';

/** Options of a {@link ConvBNAct}. */
export interface ConvBNActOptions {
  /** Input channels. */
  inChannels: number;
  /** Output channels (equal to `inChannels` when depthwise). */
  outChannels: number;
  /** Square kernel size. */
  kernel: number;
  /** Stride (default 1). */
  stride?: number;
  /** Depthwise convolution: shorthand for `groups = inChannels`. */
  depthwise?: boolean;
  /** Channel groups (default 1). */
  groups?: number;
  /** Activation after BN; `null` for none. */
  activation: Activation | null;
  /** Padding convention. */
  padding: PaddingConvention;
  /** BN eps and momentum (PyTorch sense). */
  batchNorm: BatchNormSpec;
}

/** conv → BN → activation, with sub-layers `conv` and `bn`. */
export class ConvBNAct extends Layer {
  /** The convolution. */
  readonly conv: Conv2d;
  /** The batch norm. */
  readonly bn: BatchNorm;

  /**
   * @param scope - Where the parameters live.
   * @param options - Convolution, activation, padding and BN settings.
   * @throws EffnetBlockError for a depthwise layer whose channels differ, or any bad size.
   */
  constructor(
    scope: ParamScope,
    readonly options: ConvBNActOptions,
  ) {
    super(scope);
    const { inChannels, outChannels, depthwise } = options;
    if (depthwise && inChannels !== outChannels) {
      throw new EffnetBlockError(scope.prefix, `a depthwise conv keeps its channels: inChannels ${inChannels} ≠ outChannels ${outChannels}`);
    }
    const groups = depthwise ? inChannels : (options.groups ?? 1);
    this.conv = new Conv2d(scope.scope('conv'), { inChannels, outChannels, kernel: options.kernel, stride: options.stride ?? 1, groups, padding: options.padding });
    this.bn = new BatchNorm(scope.scope('bn'), { channels: outChannels, ...options.batchNorm });
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    return activate(this.bn.apply(this.conv.apply(x, ctx), ctx), this.options.activation);
  }
}

// A 2-D convolution on NHWC tensors with its kernel (and optional bias) in a ParamScope: regular,
// grouped or depthwise (groups = input channels), with PyTorch's `symmetric` or TensorFlow's `same`
// padding (see padding.ts). Kernels are HWIO ([k, k, in / groups, out]); a depthwise kernel is
// [k, k, in, out / in]. Initialised as torchvision does: kaiming-normal in fan-out mode, where
// PyTorch's fan-out is out_channels · k · k for every kind of convolution, biases 0.
import * as tf from '@tensorflow/tfjs-core';
import type { PaddingConvention } from '@effnet/scaling';
import { EffnetBlockError } from './errors.js';
import { constant, kaimingNormalFanOut } from './initializers.js';
import { Layer, requireImages, type ApplyContext } from './module.js';
import { symmetricPadding } from './padding.js';
import { valueOf, type ParamEntry, type ParamScope } from './param-store.js';

/** Options of a {@link Conv2d}. */
export interface Conv2dOptions {
  /** Input channels. */
  inChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Square kernel size. */
  kernel: number;
  /** Stride (default 1). */
  stride?: number;
  /** Channel groups (default 1); `inChannels` makes a depthwise convolution. */
  groups?: number;
  /** Padding convention (default `symmetric`). */
  padding?: PaddingConvention;
  /** Whether the convolution adds a bias (default false: a BN follows). */
  bias?: boolean;
}

function positiveInteger(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new EffnetBlockError(where, `${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A convolution layer: parameters `kernel` (and `bias`) in its scope. */
export class Conv2d extends Layer {
  /** The kernel, HWIO (depthwise: [k, k, in, out / in]). */
  readonly kernel: ParamEntry;
  /** The bias, when asked for. */
  readonly bias: ParamEntry | null;
  /** Resolved options. */
  readonly options: Required<Conv2dOptions>;

  /**
   * @param scope - Where the parameters live (`<scope>.kernel`, `<scope>.bias`).
   * @param options - Channels, kernel, stride, groups, padding and bias.
   * @throws EffnetBlockError when a size is not a positive integer or the groups do not divide the channels.
   */
  constructor(scope: ParamScope, options: Conv2dOptions) {
    super(scope);
    const where = scope.prefix;
    const inChannels = positiveInteger(where, 'inChannels', options.inChannels);
    const outChannels = positiveInteger(where, 'outChannels', options.outChannels);
    const kernel = positiveInteger(where, 'kernel', options.kernel);
    const stride = positiveInteger(where, 'stride', options.stride ?? 1);
    const groups = positiveInteger(where, 'groups', options.groups ?? 1);
    const padding = options.padding ?? 'symmetric';
    if (padding !== 'same' && padding !== 'symmetric') throw new EffnetBlockError(where, `padding must be 'same' or 'symmetric', got ${String(padding)}`);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new EffnetBlockError(where, `groups ${groups} must divide both inChannels ${inChannels} and outChannels ${outChannels}`);
    }
    this.options = { inChannels, outChannels, kernel, stride, groups, padding, bias: options.bias ?? false };
    const depthwise = groups > 1 && groups === inChannels;
    const shape = depthwise ? [kernel, kernel, inChannels, outChannels / inChannels] : [kernel, kernel, inChannels / groups, outChannels];
    this.kernel = scope.add('kernel', shape, kaimingNormalFanOut(outChannels * kernel * kernel));
    this.bias = this.options.bias ? scope.add('bias', [outChannels], constant(0)) : null;
  }

  /** Whether this is a depthwise convolution (groups = input channels). */
  get depthwise(): boolean {
    return this.options.groups > 1 && this.options.groups === this.options.inChannels;
  }

  protected forward(x: tf.Tensor4D, _ctx: ApplyContext): tf.Tensor4D {
    const { inChannels, kernel: k, stride, groups, padding } = this.options;
    const input = requireImages(this.name, x, inChannels);
    const pad = padding === 'same' ? 'same' : symmetricPadding(k)[0];
    const w = valueOf<tf.Tensor4D>(this.kernel);
    let y: tf.Tensor4D;
    if (groups === 1) {
      y = tf.conv2d(input, w, stride, pad);
    } else if (this.depthwise) {
      y = tf.depthwiseConv2d(input, w, stride, pad);
    } else {
      const xs = tf.split(input, groups, 3) as tf.Tensor4D[];
      const ws = tf.split(w, groups, 3) as tf.Tensor4D[];
      y = tf.concat(xs.map((part, g) => tf.conv2d(part, ws[g]!, stride, pad)), 3);
    }
    return this.bias ? (tf.add(y, valueOf<tf.Tensor1D>(this.bias)) as tf.Tensor4D) : y;
  }
}

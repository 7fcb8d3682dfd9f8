// The class and box nets of EfficientDet (EfficientDet 2020, section 3.3; google/automl ClassNet
// and BoxNet): `layers` separable convs 3×3 (bias) whose weights are shared by every pyramid level,
// each followed by a batch norm of its own per level and the activation, then a shared separable
// prediction conv with `outputs` channels per location. Names: `<net>.layers.<i>.{depthwise,
// pointwise}.*`, `<net>.layers.<i>.bn.<level>.*`, `<net>.predict.{depthwise,pointwise}.*`.
import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm, Conv2d, SeparableConv, activate, type ApplyContext, type ParamEntry, type ParamScope } from '@effnet/blocks';
import type { Activation, BatchNormSpec, PaddingConvention } from '@effnet/scaling';

/** Options of a {@link HeadNet}. */
export interface HeadNetOptions {
  /** BiFPN width (input and hidden channels). */
  channels: number;
  /** Output channels per location (anchors · classes, or anchors · 4). */
  outputs: number;
  /** Hidden separable-conv layers. */
  layers: number;
  /** Pyramid levels served (one BN per level and layer). */
  levels: number;
  /** Activation after each hidden layer. */
  activation: Activation;
  /** Padding convention. */
  padding: PaddingConvention;
  /** BN settings. */
  batchNorm: BatchNormSpec;
  /** Initial bias of the prediction conv (−log((1 − π)/π) with prior π = 0.01 for the class net). */
  predictionBias?: number;
}

/** A prediction net shared across pyramid levels, with per-level batch norms. */
export class HeadNet {
  private readonly hidden: { depthwise: Conv2d; pointwise: Conv2d; bns: BatchNorm[] }[];
  private readonly predict: SeparableConv;

  /**
   * @param scope - Where the parameters live.
   * @param options - Widths, depth, levels and settings.
   */
  constructor(
    readonly scope: ParamScope,
    readonly options: HeadNetOptions,
  ) {
    const { channels, outputs, layers, levels, padding, batchNorm } = options;
    this.hidden = Array.from({ length: layers }, (_, i) => {
      const layer = scope.scope('layers').scope(i);
      return {
        depthwise: new Conv2d(layer.scope('depthwise'), { inChannels: channels, outChannels: channels, kernel: 3, groups: channels, padding }),
        pointwise: new Conv2d(layer.scope('pointwise'), { inChannels: channels, outChannels: channels, kernel: 1, padding, bias: true }),
        bns: Array.from({ length: levels }, (_, level) => new BatchNorm(layer.scope('bn').scope(level), { channels, ...batchNorm })),
      };
    });
    this.predict = new SeparableConv(scope.scope('predict'), { inChannels: channels, outChannels: outputs, kernel: 3, padding, batchNorm: null, activation: null });
    const bias = this.predict.pointwise.bias?.variable;
    if (options.predictionBias !== undefined && bias) tf.tidy(() => bias.assign(tf.fill([outputs], options.predictionBias!)));
  }

  /**
   * Runs the net on one pyramid level.
   *
   * @param x - NHWC map of that level.
   * @param level - Index of the level (0 = lowest), which picks the batch norms.
   * @param ctx - Training mode and random source.
   * @returns `[N, H, W, outputs]`.
   */
  apply(x: tf.Tensor4D, level: number, ctx: ApplyContext): tf.Tensor4D {
    return tf.tidy(() => {
      let y = x;
      for (const { depthwise, pointwise, bns } of this.hidden) {
        y = activate(bns[level]!.apply(pointwise.apply(depthwise.apply(y, ctx), ctx), ctx), this.options.activation);
      }
      return this.predict.apply(y, ctx);
    });
  }

  /** Trainable parameters (shared convolutions and every level's BN γ, β), by name. */
  parameters(): ParamEntry[] {
    return this.scope.list().filter((entry) => entry.trainable);
  }

  /** BN moving statistics of every level. */
  state(): ParamEntry[] {
    return this.scope.list().filter((entry) => !entry.trainable);
  }
}

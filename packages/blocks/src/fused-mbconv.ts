// Fused-MBConv (EfficientNetV2 §3.2; torchvision's FusedMBConv): the 1×1 expand and depthwise k×k of
// MBConv fused into one regular k×k conv + BN + act, then a 1×1 project + BN; with no widening, a
// single k×k conv + BN + act. SE, where a spec asks for it, follows the k×k conv (google/automl).
// Residual with drop path when stride is 1 and the shapes match. Sub-layer names: expand, se, project.
import * as tf from '@tensorflow/tfjs-core';
import type { BlockSpec } from '@effnet/scaling';
import type { BlockOptions } from './block-options.js';
import { ConvBNAct } from './conv-bn-act.js';
import { DropPath } from './drop-path.js';
import { Layer, requireImages, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';
import { SqueezeExcite } from './squeeze-excite.js';

/** A Fused-MBConv block built from its BlockSpec. */
export class FusedMBConv extends Layer {
  /** k×k expansion (carries the stride), when the block widens. */
  readonly expand: ConvBNAct | null;
  /** Squeeze-excitation, when `seChannels > 0`. */
  readonly se: SqueezeExcite | null;
  /** 1×1 projection without activation, or, when the block does not widen, the k×k conv + act. */
  readonly project: ConvBNAct;
  /** Drop path of the residual branch (only when `spec.residual`). */
  readonly dropPath: DropPath | null;

  /**
   * @param scope - Where the parameters live, e.g. `store.scope('blocks.0')`.
   * @param spec - The resolved block.
   * @param options - Padding, BN and activation of the network.
   */
  constructor(
    scope: ParamScope,
    readonly spec: BlockSpec,
    options: BlockOptions,
  ) {
    super(scope);
    const { inChannels, expandedChannels: hidden, outChannels, kernel, stride, seChannels } = spec;
    const { padding, batchNorm } = options;
    const activation = options.activation ?? 'silu';
    const widens = hidden !== inChannels;
    this.expand = widens ? new ConvBNAct(scope.scope('expand'), { inChannels, outChannels: hidden, kernel, stride, activation, padding, batchNorm }) : null;
    this.se = seChannels > 0 ? new SqueezeExcite(scope.scope('se'), { channels: hidden, squeezed: seChannels, activation }) : null;
    this.project = widens
      ? new ConvBNAct(scope.scope('project'), { inChannels: hidden, outChannels, kernel: 1, activation: null, padding, batchNorm })
      : new ConvBNAct(scope.scope('project'), { inChannels, outChannels, kernel, stride, activation, padding, batchNorm });
    this.dropPath = spec.residual ? new DropPath(scope.scope('dropPath'), spec.dropPath) : null;
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    requireImages(this.name, x, this.spec.inChannels);
    let h = this.expand ? this.expand.apply(x, ctx) : x;
    if (this.se) h = this.se.apply(h, ctx);
    h = this.project.apply(h, ctx);
    return this.dropPath ? tf.add(this.dropPath.apply(h, ctx), x) : h;
  }
}

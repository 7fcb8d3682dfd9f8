// MBConv (MobileNetV2's inverted residual with SE, EfficientNet 2019 §3; torchvision's MBConv):
// 1×1 expand + BN + act (absent when the block does not widen), depthwise k×k + BN + act, SE,
// 1×1 project + BN, and a residual with drop path when stride is 1 and the shapes match.
// Sub-layer names (weight files depend on them): expand, dw, se, project.
import * as tf from '@tensorflow/tfjs-core';
import type { BlockSpec } from '@effnet/scaling';
import type { BlockOptions } from './block-options.js';
import { ConvBNAct } from './conv-bn-act.js';
import { DropPath } from './drop-path.js';
import { Layer, requireImages, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';
import { SqueezeExcite } from './squeeze-excite.js';

/** An MBConv block built from its BlockSpec. */
export class MBConv extends Layer {
  /** 1×1 expansion, when `expandedChannels ≠ inChannels`. */
  readonly expand: ConvBNAct | null;
  /** Depthwise k×k convolution (carries the stride). */
  readonly dw: ConvBNAct;
  /** Squeeze-excitation, when `seChannels > 0`. */
  readonly se: SqueezeExcite | null;
  /** 1×1 projection (no activation). */
  readonly project: ConvBNAct;
  /** Drop path of the residual branch (only when `spec.residual`). */
  readonly dropPath: DropPath | null;

  /**
   * @param scope - Where the parameters live, e.g. `store.scope('blocks.3')`.
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
    this.expand = hidden !== inChannels ? new ConvBNAct(scope.scope('expand'), { inChannels, outChannels: hidden, kernel: 1, activation, padding, batchNorm }) : null;
    this.dw = new ConvBNAct(scope.scope('dw'), { inChannels: hidden, outChannels: hidden, kernel, stride, depthwise: true, activation, padding, batchNorm });
    this.se = seChannels > 0 ? new SqueezeExcite(scope.scope('se'), { channels: hidden, squeezed: seChannels, activation }) : null;
    this.project = new ConvBNAct(scope.scope('project'), { inChannels: hidden, outChannels, kernel: 1, activation: null, padding, batchNorm });
    this.dropPath = spec.residual ? new DropPath(scope.scope('dropPath'), spec.dropPath) : null;
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    requireImages(this.name, x, this.spec.inChannels);
    let h = this.expand ? this.expand.apply(x, ctx) : x;
    h = this.dw.apply(h, ctx);
    if (this.se) h = this.se.apply(h, ctx);
    h = this.project.apply(h, ctx);
    return this.dropPath ? tf.add(this.dropPath.apply(h, ctx), x) : h;
  }
}

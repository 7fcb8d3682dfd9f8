// The depthwise-separable block (MobileNet V1; timm's DepthwiseSeparableConv, block kind `ds`):
// depthwise k×k + BN + act, SE, pointwise 1×1 + BN (no activation), and a residual with drop path
// when stride is 1 and the shapes match. It is MBConv without the expansion, so its sub-layers carry
// the same names: dw, se, project.
import * as tf from '@tensorflow/tfjs-core';
import type { BlockSpec } from '@effnet/scaling';
import type { BlockOptions } from './block-options.js';
import { ConvBNAct } from './conv-bn-act.js';
import { DropPath } from './drop-path.js';
import { EffnetBlockError } from './errors.js';
import { Layer, requireImages, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';
import { SqueezeExcite } from './squeeze-excite.js';

/** A depthwise-separable (`ds`) block built from its BlockSpec. */
export class DepthwiseSeparable extends Layer {
  /** Depthwise k×k convolution (carries the stride). */
  readonly dw: ConvBNAct;
  /** Squeeze-excitation, when `seChannels > 0`. */
  readonly se: SqueezeExcite | null;
  /** Pointwise 1×1 projection (no activation). */
  readonly project: ConvBNAct;
  /** Drop path of the residual branch (only when `spec.residual`). */
  readonly dropPath: DropPath | null;

  /**
   * @param scope - Where the parameters live.
   * @param spec - The resolved block (`expandedChannels` must equal `inChannels`).
   * @param options - Padding, BN and activation of the network.
   * @throws EffnetBlockError when the spec widens (a ds block has no expansion).
   */
  constructor(
    scope: ParamScope,
    readonly spec: BlockSpec,
    options: BlockOptions,
  ) {
    super(scope);
    const { inChannels, expandedChannels, outChannels, kernel, stride, seChannels } = spec;
    if (expandedChannels !== inChannels) {
      throw new EffnetBlockError(scope.prefix, `a ds block has no expansion: expandedChannels ${expandedChannels} must equal inChannels ${inChannels}; use kind 'mbconv' to widen`);
    }
    const { padding, batchNorm } = options;
    const activation = options.activation ?? 'silu';
    this.dw = new ConvBNAct(scope.scope('dw'), { inChannels, outChannels: inChannels, kernel, stride, depthwise: true, activation, padding, batchNorm });
    this.se = seChannels > 0 ? new SqueezeExcite(scope.scope('se'), { channels: inChannels, squeezed: seChannels, activation }) : null;
    this.project = new ConvBNAct(scope.scope('project'), { inChannels, outChannels, kernel: 1, activation: null, padding, batchNorm });
    this.dropPath = spec.residual ? new DropPath(scope.scope('dropPath'), spec.dropPath) : null;
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    requireImages(this.name, x, this.spec.inChannels);
    let h = this.dw.apply(x, ctx);
    if (this.se) h = this.se.apply(h, ctx);
    h = this.project.apply(h, ctx);
    return this.dropPath ? tf.add(this.dropPath.apply(h, ctx), x) : h;
  }
}

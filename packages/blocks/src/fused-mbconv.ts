// Fused-MBConv (EfficientNetV2 §3.2): the expand 1×1 and depthwise k×k of MBConv fused into one
// regular k×k conv + BN + SiLU, then a 1×1 project + BN; with no widening, one k×k conv + BN + SiLU
// (torchvision's FusedMBConv). SE, where a spec asks for it, follows the k×k conv (google/automl).
import type * as tf from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-core';
import type { BatchNormSpec, BlockSpec, PaddingConvention } from '@effnet/scaling';
import type { BlockContext } from './block-context.js';
import { ConvBNAct } from './conv-bn-act.js';
import { dropPath } from './drop-path.js';
import type { ParamStore } from './param-store.js';
import { SqueezeExcite } from './squeeze-excite.js';

/** A Fused-MBConv block built from its BlockSpec. */
export class FusedMBConv {
  private readonly expand: ConvBNAct | null;
  private readonly se: SqueezeExcite | null;
  private readonly project: ConvBNAct;

  constructor(store: ParamStore, name: string, readonly spec: BlockSpec, common: { padding: PaddingConvention; batchNorm: BatchNormSpec }) {
    const { inChannels, expandedChannels: hidden, outChannels, kernel, stride, seChannels } = spec;
    const widens = hidden !== inChannels;
    this.expand = widens ? new ConvBNAct(store, `${name}.expand`, { inChannels, outChannels: hidden, kernel, stride, activation: 'silu', ...common }) : null;
    this.se = seChannels > 0 ? new SqueezeExcite(store, `${name}.se`, hidden, seChannels) : null;
    this.project = widens
      ? new ConvBNAct(store, `${name}.project`, { inChannels: hidden, outChannels, kernel: 1, stride: 1, activation: null, ...common })
      : new ConvBNAct(store, `${name}.project`, { inChannels, outChannels, kernel, stride, activation: 'silu', ...common });
  }

  /** Runs the block. */
  apply(x: tf.Tensor4D, ctx: BlockContext): tf.Tensor4D {
    return tfc.tidy(() => this.run(x, ctx));
  }

  private run(x: tf.Tensor4D, ctx: BlockContext): tf.Tensor4D {
    let h = this.expand ? this.expand.apply(x, ctx.training) : x;
    if (this.se) h = this.se.apply(h);
    h = this.project.apply(h, ctx.training);
    return this.spec.residual ? tfc.add(dropPath(h, ctx.dropPath, ctx.training, ctx.seed), x) : h;
  }
}

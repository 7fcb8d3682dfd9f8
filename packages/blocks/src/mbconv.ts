// MBConv (MobileNetV2's inverted residual with SE, EfficientNet 2019): 1×1 expand + BN + SiLU
// (absent when the block does not widen), depthwise k×k + BN + SiLU, SE, 1×1 project + BN, and a
// residual with drop path when stride is 1 and the shapes match. Sub-layer names: expand, dw, se, project.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-core';
import type { BatchNormSpec, BlockSpec, PaddingConvention } from '@effnet/scaling';
import { ConvBNAct } from './conv-bn-act.js';
import { dropPath } from './drop-path.js';
import type { BlockContext } from './block-context.js';
import type { ParamStore } from './param-store.js';
import { SqueezeExcite } from './squeeze-excite.js';

/** An MBConv block built from its BlockSpec. */
export class MBConv {
  private readonly expand: ConvBNAct | null;
  private readonly dw: ConvBNAct;
  private readonly se: SqueezeExcite | null;
  private readonly project: ConvBNAct;

  constructor(store: ParamStore, name: string, readonly spec: BlockSpec, common: { padding: PaddingConvention; batchNorm: BatchNormSpec }) {
    const { inChannels, expandedChannels: hidden, outChannels, kernel, stride, seChannels } = spec;
    this.expand = hidden !== inChannels
      ? new ConvBNAct(store, `${name}.expand`, { inChannels, outChannels: hidden, kernel: 1, stride: 1, activation: 'silu', ...common })
      : null;
    this.dw = new ConvBNAct(store, `${name}.dw`, { inChannels: hidden, outChannels: hidden, kernel, stride, depthwise: true, activation: 'silu', ...common });
    this.se = seChannels > 0 ? new SqueezeExcite(store, `${name}.se`, hidden, seChannels) : null;
    this.project = new ConvBNAct(store, `${name}.project`, { inChannels: hidden, outChannels, kernel: 1, stride: 1, activation: null, ...common });
  }

  /** Runs the block. */
  apply(x: tf.Tensor4D, ctx: BlockContext): tf.Tensor4D {
    return tfc.tidy(() => this.run(x, ctx));
  }

  private run(x: tf.Tensor4D, ctx: BlockContext): tf.Tensor4D {
    let h = this.expand ? this.expand.apply(x, ctx.training) : x;
    h = this.dw.apply(h, ctx.training);
    if (this.se) h = this.se.apply(h);
    h = this.project.apply(h, ctx.training);
    return this.spec.residual ? tfc.add(dropPath(h, ctx.dropPath, ctx.training, ctx.seed), x) : h;
  }
}

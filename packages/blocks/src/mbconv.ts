// MBConv (MobileNetV2's inverted residual with SE, EfficientNet 2019 §3; torchvision's MBConv):
// 1×1 expand + BN + act (absent when the block does not widen), depthwise k×k + BN + act, SE,
// 1×1 project + BN, and a residual with drop path when stride is 1 and the shapes match.
// Sub-layer names (weight files depend on them): expand, dw, se, project.
import type { BlockSpec } from '@effnet/scaling';
import type { BlockOptions } from './block-options.js';
import type { ConvBNAct } from './conv-bn-act.js';
import { convIn, InvertedResidual, squeezeExciteOf, type InvertedResidualParts } from './inverted-residual.js';
import type { ParamScope } from './param-store.js';

function mbconvParts(scope: ParamScope, spec: BlockSpec, options: BlockOptions): InvertedResidualParts & { dw: ConvBNAct } {
  const { inChannels, expandedChannels: hidden, outChannels, kernel, stride } = spec;
  const activation = options.activation ?? 'silu';
  const conv = convIn(scope, options);
  const expand = hidden !== inChannels ? conv('expand', { inChannels, outChannels: hidden, kernel: 1, activation }) : null;
  const dw = conv('dw', { inChannels: hidden, outChannels: hidden, kernel, stride, depthwise: true, activation });
  const se = squeezeExciteOf(scope, spec, hidden, options);
  return { expand, dw, se, project: conv('project', { inChannels: hidden, outChannels, kernel: 1, activation: null }) };
}

/** An MBConv block built from its BlockSpec. */
export class MBConv extends InvertedResidual {
  /** Depthwise k×k convolution (carries the stride). */
  readonly dw: ConvBNAct;

  /**
   * @param scope - Where the parameters live, e.g. `store.scope('blocks.3')`.
   * @param spec - The resolved block.
   * @param options - Padding, BN and activation of the network.
   */
  constructor(scope: ParamScope, spec: BlockSpec, options: BlockOptions) {
    const parts = mbconvParts(scope, spec, options);
    super(scope, spec, parts);
    this.dw = parts.dw;
  }
}

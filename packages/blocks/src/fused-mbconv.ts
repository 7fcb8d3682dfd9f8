// Fused-MBConv (EfficientNetV2 §3.2; torchvision's FusedMBConv): the 1×1 expand and depthwise k×k of
// MBConv fused into one regular k×k conv + BN + act, then a 1×1 project + BN; with no widening, a
// single k×k conv + BN + act. SE, where a spec asks for it, follows the k×k conv (google/automl).
// Residual with drop path when stride is 1 and the shapes match. Sub-layer names: expand, se, project.
import type { BlockSpec } from '@effnet/scaling';
import type { BlockOptions } from './block-options.js';
import { convIn, InvertedResidual, squeezeExciteOf, type InvertedResidualParts } from './inverted-residual.js';
import type { ParamScope } from './param-store.js';

function fusedParts(scope: ParamScope, spec: BlockSpec, options: BlockOptions): InvertedResidualParts {
  const { inChannels, expandedChannels: hidden, outChannels, kernel, stride } = spec;
  const activation = options.activation ?? 'silu';
  const conv = convIn(scope, options);
  const widens = hidden !== inChannels;
  const expand = widens ? conv('expand', { inChannels, outChannels: hidden, kernel, stride, activation }) : null;
  const se = squeezeExciteOf(scope, spec, hidden, options);
  // Without widening the k×k conv (with stride and activation) is the whole block, named `project`.
  const project = widens
    ? conv('project', { inChannels: hidden, outChannels, kernel: 1, activation: null })
    : conv('project', { inChannels, outChannels, kernel, stride, activation });
  return { expand, dw: null, se, project };
}

/** A Fused-MBConv block built from its BlockSpec: `expand` is the k×k conv (with the stride) when the block widens. */
export class FusedMBConv extends InvertedResidual {
  /**
   * @param scope - Where the parameters live, e.g. `store.scope('blocks.0')`.
   * @param spec - The resolved block.
   * @param options - Padding, BN and activation of the network.
   */
  constructor(scope: ParamScope, spec: BlockSpec, options: BlockOptions) {
    super(scope, spec, fusedParts(scope, spec, options));
  }
}

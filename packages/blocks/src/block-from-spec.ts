// The one factory that turns a BlockSpec into its block (architecture is data):
// `mbconv` → MBConv, `fused-mbconv` → FusedMBConv, `ds` → DepthwiseSeparable.
import type { BlockSpec } from '@effnet/scaling';
import type { BlockOptions } from './block-options.js';
import { DepthwiseSeparable } from './depthwise-separable.js';
import { EffnetBlockError } from './errors.js';
import { FusedMBConv } from './fused-mbconv.js';
import { MBConv } from './mbconv.js';
import type { ParamScope } from './param-store.js';

/** Any block a BlockSpec can describe. */
export type Block = MBConv | FusedMBConv | DepthwiseSeparable;

/**
 * Builds the block a spec describes.
 *
 * @param scope - Where its parameters live, e.g. `store.scope('blocks.3')`.
 * @param spec - The resolved block.
 * @param options - Padding, BN and activation of the network.
 * @throws EffnetBlockError for an unknown block kind.
 */
export function blockFromSpec(scope: ParamScope, spec: BlockSpec, options: BlockOptions): Block {
  switch (spec.kind) {
    case 'mbconv':
      return new MBConv(scope, spec, options);
    case 'fused-mbconv':
      return new FusedMBConv(scope, spec, options);
    case 'ds':
      return new DepthwiseSeparable(scope, spec, options);
    default:
      throw new EffnetBlockError(scope.prefix, `unknown block kind '${String((spec as { kind: unknown }).kind)}'; known: mbconv, fused-mbconv, ds`);
  }
}

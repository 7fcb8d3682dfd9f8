// @effnet/blocks: the public surface.
export { ParamStore, kaimingNormalFanOut, linearUniform, constant, type Initializer, type ParamEntry } from './param-store.js';
export { ConvBNAct, activate, type ConvBNActOptions } from './conv-bn-act.js';
export { SqueezeExcite } from './squeeze-excite.js';
export { MBConv } from './mbconv.js';
export { FusedMBConv } from './fused-mbconv.js';
export { dropPath } from './drop-path.js';
export type { BlockContext } from './block-context.js';

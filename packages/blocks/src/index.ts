// @effnet/blocks: the public surface. The Module contract (module.ts), parameters and state
// (param-store.ts), initialisers, padding and activations, and one file per layer or block.
export { EffnetBlockError } from './errors.js';
export { Layer, applyContext, requireImages, requireRate, type Module, type ApplyContext, type ApplyContextOptions } from './module.js';
export { ParamStore, ParamScope, valueOf, type ParamEntry, type ParamStoreOptions } from './param-store.js';
export { SeededRandom, hashString, parameterSeed } from './seeded-random.js';
export { kaimingNormalFanOut, linearUniform, constant, type Initializer } from './initializers.js';
export { samePadding, symmetricPadding, convPadding, type ExplicitPadding } from './padding.js';
export { activate, siluForward, siluGradient, SILU_GRAD_KERNEL, SILU_KERNEL } from './activation.js';
export {
  pointwiseConvForward,
  depthwiseConvForward,
  convForward,
  globalMeanForward,
  linearForward,
  POINTWISE_CONV_KERNEL,
  DEPTHWISE_CONV_KERNEL,
  CONV_KERNEL,
  CONV_KERNEL_MAX_CHANNELS,
  GLOBAL_MEAN_KERNEL,
  UPLOAD_KERNEL,
  uploadConstant,
  ELEMENTWISE_KERNEL,
  elementwiseForward,
  type PointwiseActivation } from './inference-kernels.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export { BatchNorm, BATCH_MOMENTS_KERNEL, BATCH_NORM_GRAD_KERNEL, batchNormGradients, type BatchNormOptions } from './batch-norm.js';
export { ConvBNAct, type ConvBNActOptions } from './conv-bn-act.js';
export { Linear, type LinearOptions } from './linear.js';
export { Dropout } from './dropout.js';
export { DropPath, dropPath } from './drop-path.js';
export { globalAveragePool } from './global-pool.js';
export { SqueezeExcite, type SqueezeExciteOptions } from './squeeze-excite.js';
export { InvertedResidual, type InvertedResidualParts } from './inverted-residual.js';
export { MBConv } from './mbconv.js';
export { FusedMBConv } from './fused-mbconv.js';
export { DepthwiseSeparable } from './depthwise-separable.js';
export { SeparableConv, type SeparableConvOptions } from './separable-conv.js';
export { blockFromSpec, type Block } from './block-from-spec.js';
export type { BlockOptions } from './block-options.js';
export { WeightedFusion, FUSION_EPSILON } from './weighted-fusion.js';
export { ResampleFeature, type ResampleFeatureOptions } from './resample-feature.js';
export { BiFpnLayer, type BiFpnLayerOptions } from './bifpn.js';

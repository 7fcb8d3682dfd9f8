// The kernels @effnet/backend-wasm registers for tfjs-backend-wasm 4.22, as two lists: the
// gradient kernels it lacks (with them and tfjs-core's gradient registry a conv + depthwise +
// batch-norm + SiLU + SE training step runs on wasm), and faster versions of kernels it has,
// which replace its own and keep them as fallbacks.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig, conv2dBackpropInputStock } from './kernels/conv2d-backprop-input.js';
import { depthwiseConv2dBackpropFilterConfig } from './kernels/depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInputConfig } from './kernels/depthwise-conv2d-backprop-input.js';
import { depthwiseConv2dConfig, depthwiseConv2dStock, fusedDepthwiseConv2dConfig, fusedDepthwiseConv2dStock } from './kernels/depthwise-conv2d.js';
import { batchMatMulConfig, batchMatMulStock } from './kernels/batch-mat-mul.js';
import { batchMomentsConfig, batchNormGradConfig } from './kernels/batch-norm-training.js';
import { castConfig, castStock } from './kernels/cast.js';
import { conv2dConfig, conv2dStock, fusedConv2dConfig, fusedConv2dStock } from './kernels/conv2d.js';
import { channelAdd, channelMultiply, channelSub } from './kernels/channel-binary.js';
import { fusedBatchNormConfig, fusedBatchNormStock } from './kernels/fused-batch-norm.js';
import { identityConfig, identityStock } from './kernels/identity.js';
import { depthwiseConvConfig, pointwiseConvConfig } from './kernels/inference-convolutions.js';
import { meanConfig, meanStock } from './kernels/mean.js';
import { siluGradConfig } from './kernels/silu-grad.js';
import { siluConfig } from './kernels/silu.js';
import { sumConfig, sumStock } from './kernels/sum.js';
import { transposeConfig, transposeStock } from './kernels/transpose.js';
import type { ReplacementKernel } from './kernels/stock-kernel.js';

/**
 * The kernels `@effnet/backend-wasm` adds to the `wasm` backend (tfjs-backend-wasm has none of
 * them): three gradients of tfjs-core ops, and six kernels @effnet/blocks calls where they are
 * registered: EffnetSiluGrad (SiLU's gradient), EffnetSilu (SiLU's value in inference, one SIMD
 * pass instead of Sigmoid and Multiply), EffnetBatchMoments and EffnetBatchNormGrad (batch norm's
 * statistics and gradients in training), EffnetPointwiseConv and EffnetDepthwiseConv (the fused
 * inference form's 1×1 and depthwise convolutions, sigmoid and SiLU applied by the same kernel).
 */
export const WASM_GRADIENT_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  siluGradConfig,
  siluConfig,
  batchMomentsConfig,
  batchNormGradConfig,
  pointwiseConvConfig,
  depthwiseConvConfig,
];

/** A kernel of ours that replaces tfjs-backend-wasm's own, and where the replaced one is kept (defined beside StockKernel). */
export type { ReplacementKernel };

/**
 * The kernels `@effnet/backend-wasm` registers over tfjs-backend-wasm's own: Conv2DBackpropInput
 * on XNNPACK's compiled convolution instead of plain loops; Sum and Mean over leading axes in one
 * SIMD pass (or one matrix product with ones) instead of a transpose and a loop; Identity and
 * same-dtype Cast sharing the data instead of copying it; FusedBatchNorm with per-channel
 * statistics in one SIMD pass (or three broadcast passes) instead of a scalar loop; Add, Sub and
 * Multiply of an activation and per-channel values in one SIMD pass; Transpose of 2-D and
 * batched 2-D permutations in SIMD tiles instead of one strided value at a time; BatchMatMul of
 * one transposed matrix by another on XNNPACK (after an explicit transpose) instead of plain loops;
 * DepthwiseConv2dNative and FusedDepthwiseConv2D (channel multiplier 1, channels a multiple of 4)
 * in SIMD, four output pixels at a time, instead of XNNPACK's depthwise convolution; Conv2D and
 * FusedConv2D of a 1×1 filter (stride 1, output channels a multiple of 8) as a SIMD matrix product
 * in 4 × 8 blocks instead of XNNPACK's.
 */
export const WASM_REPLACEMENT_KERNELS: readonly ReplacementKernel[] = [
  { config: conv2dBackpropInputConfig, stock: conv2dBackpropInputStock },
  { config: sumConfig, stock: sumStock },
  { config: meanConfig, stock: meanStock },
  { config: identityConfig, stock: identityStock },
  { config: castConfig, stock: castStock },
  { config: fusedBatchNormConfig, stock: fusedBatchNormStock },
  channelAdd,
  channelSub,
  channelMultiply,
  { config: transposeConfig, stock: transposeStock },
  { config: batchMatMulConfig, stock: batchMatMulStock },
  { config: depthwiseConv2dConfig, stock: depthwiseConv2dStock },
  { config: fusedDepthwiseConv2dConfig, stock: fusedDepthwiseConv2dStock },
  { config: conv2dConfig, stock: conv2dStock },
  { config: fusedConv2dConfig, stock: fusedConv2dStock },
];

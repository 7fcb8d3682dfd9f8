// The gradient kernels tfjs-backend-wasm 4.22 lacks, as one list: with them (and tfjs-core's
// gradient registry) a conv + depthwise + batch-norm + SiLU + SE training step runs on wasm.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropFilterConfig } from './kernels/depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInputConfig } from './kernels/depthwise-conv2d-backprop-input.js';

/** The kernels `@effnet/backend-wasm` registers for the `wasm` backend. */
export const WASM_GRADIENT_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
];

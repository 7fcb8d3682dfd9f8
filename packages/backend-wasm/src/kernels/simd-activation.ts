// The activations effnet's SIMD convolution kernels (depthwise and 1×1) apply on the way out, and
// whether a fused kernel's call can take them: tfjs's FusedConv2D and FusedDepthwiseConv2D also
// take prelu weights and other activations, which go to the stock kernels.
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The activation codes kernels.wat takes. */
const CODES: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2 };

/** The SIMD kernels' code for `activation` (default linear), or why the call cannot take them. */
export function simdActivation(activation: string | undefined, preluWeights: TensorInfo | undefined): number | string {
  if (preluWeights !== undefined) return 'prelu weights';
  const name = activation ?? 'linear';
  return Object.hasOwn(CODES, name) ? CODES[name]! : `the ${activation} activation`;
}

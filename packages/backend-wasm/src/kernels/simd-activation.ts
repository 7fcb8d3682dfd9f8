// The activations effnet's SIMD convolution kernels apply on the way out, by their codes in
// kernels.wat, and whether a tfjs fused kernel's call can take them: tfjs's FusedConv2D and
// FusedDepthwiseConv2D also take prelu weights and other activations (sigmoid among them), which go
// to the stock kernels.
import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The activation codes kernels.wat takes: linear, relu and relu6 in every convolution, sigmoid and
 * SiLU in the 1×1 and depthwise ones (EffnetPointwiseConv, EffnetDepthwiseConv).
 */
const CODES: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, sigmoid: 3, silu: 4 };

/** Highest code tfjs's fused kernels hand to the SIMD paths: their sigmoid stays with the stock kernels. */
const FUSED_KERNEL_MAX_CODE = 2;

/** The activation names {@link activationCode} knows. */
export const ACTIVATION_NAMES: readonly string[] = Object.keys(CODES);

/** kernels.wat's code for the activation `name`, or undefined (names Object.prototype has included). */
export function activationCode(name: string): number | undefined {
  return Object.hasOwn(CODES, name) ? CODES[name] : undefined;
}

/** The SIMD kernels' code for a fused kernel's `activation` (default linear), or why the call cannot take them. */
export function simdActivation(activation: string | undefined, preluWeights: TensorInfo | undefined): number | string {
  if (preluWeights !== undefined) return 'prelu weights';
  const code = activationCode(activation ?? 'linear');
  return code !== undefined && code <= FUSED_KERNEL_MAX_CODE ? code : `the ${activation} activation`;
}

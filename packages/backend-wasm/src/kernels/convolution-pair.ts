// A plain convolution kernel and its fused twin (bias, activation) replaced together: both call
// one SIMD path where it applies and hand every other call to the stock kernel they replace, the
// fused one also when its activation or prelu weights are not the SIMD kernels' (simd-activation.ts).
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { simdActivation } from './simd-activation.js';
import { StockKernel, type ReplacementKernel } from './stock-kernel.js';

/** The inputs of a convolution kernel and its fused twin. */
export interface ConvolutionInputs {
  x: TensorInfo;
  filter: TensorInfo;
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}

/** The SIMD path of a pair: its output, or the reason it does not apply to this call. */
export type SimdConvolution = (backend: KernelBackend, inputs: ConvolutionInputs, attrs: NamedAttrMap, activation: number) => TensorInfo | string;

function replacement(kernelName: string, fused: boolean, bySimd: SimdConvolution): ReplacementKernel {
  const stock = new StockKernel(kernelName);
  const kernelFunc: KernelFunc = (args) => {
    const inputs = args.inputs as unknown as ConvolutionInputs;
    const attrs = args.attrs as NamedAttrMap & { activation?: string };
    const activation = fused ? simdActivation(attrs.activation, inputs.preluActivationWeights) : 0;
    const out = typeof activation === 'string' ? activation : bySimd(args.backend as KernelBackend, inputs, attrs, activation);
    return typeof out === 'string' ? stock.run(args, out) : out;
  };
  return {
    config: { kernelName, backendName: 'wasm', kernelFunc, setupFunc: (backend) => stock.setup(backend as KernelBackend) },
    stock,
  };
}

/** The replacements of `plainName` and its fused twin `fusedName` for `wasm`, both by `bySimd` where it applies. */
export function convolutionPair(plainName: string, fusedName: string, bySimd: SimdConvolution): { plain: ReplacementKernel; fused: ReplacementKernel } {
  return { plain: replacement(plainName, false, bySimd), fused: replacement(fusedName, true, bySimd) };
}

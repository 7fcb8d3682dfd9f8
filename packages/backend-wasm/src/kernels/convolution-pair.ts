// A plain convolution kernel and its fused twin (bias, activation) replaced together: both call
// one SIMD path where it applies and hand every other call to the stock kernel they replace. The
// checks both SIMD paths share are made here (float32 NHWC data, a bias of one value per output
// channel, an activation and no prelu weights the SIMD kernels apply, a runtime with SIMD), so
// that each path checks only its own filter, strides and padding.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, type SimdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { simdActivation } from './simd-activation.js';
import { StockKernel, type ReplacementKernel } from './stock-kernel.js';

/** The inputs of a convolution kernel and its fused twin. */
interface ConvolutionInputs {
  x: TensorInfo;
  filter: TensorInfo;
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}

/** A call that passed the shared checks, for a pair's SIMD path. */
export interface SimdConvolutionCall {
  backend: WasmBackend;
  simd: SimdKernels;
  x: TensorInfo;
  filter: TensorInfo;
  bias: TensorInfo | undefined;
  info: backend_util.Conv2DInfo;
  /** The activation's code in kernels.wat (0 for the plain kernel). */
  activation: number;
}

/** The SIMD path of a pair: its output, or the reason it does not apply to this call. */
export type SimdConvolution = (call: SimdConvolutionCall) => TensorInfo | string;

/** `args` as a SIMD call, or the reason the shared checks refuse it. */
function simdCall(args: Parameters<KernelFunc>[0], fused: boolean, depthwise: boolean): SimdConvolutionCall | string {
  const { x, filter, bias, preluActivationWeights } = args.inputs as unknown as ConvolutionInputs;
  const attrs = args.attrs as unknown as Conv2DAttrs & { activation?: string };
  const activation = fused ? simdActivation(attrs.activation, preluActivationWeights) : 0;
  if (typeof activation === 'string') return activation;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return `${x.dtype} inputs`;
  if (attrs.dataFormat === 'NCHW') return 'NCHW data';
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  if (bias !== undefined && (bias.dtype !== 'float32' || util.sizeFromShape(bias.shape) !== info.outChannels)) return `a bias of shape [${bias.shape.join(', ')}]`;
  const simd = simdKernels(args.backend as KernelBackend);
  if (simd === null) return 'runtimes without WebAssembly SIMD';
  return { backend: args.backend as WasmBackend, simd, x, filter, bias, info, activation };
}

function replacement(kernelName: string, fused: boolean, depthwise: boolean, bySimd: SimdConvolution): ReplacementKernel {
  const stock = new StockKernel(kernelName);
  const kernelFunc: KernelFunc = (args) => {
    const call = simdCall(args, fused, depthwise);
    const out = typeof call === 'string' ? call : bySimd(call);
    return typeof out === 'string' ? stock.run(args, out) : out;
  };
  return {
    config: { kernelName, backendName: 'wasm', kernelFunc, setupFunc: (backend) => stock.setup(backend as KernelBackend) },
    stock,
  };
}

/**
 * The replacements of `plainName` and its fused twin `fusedName` for `wasm`, both by `bySimd` where
 * it applies; `depthwise` says how tfjs-core reads the filter (computeConv2DInfo's flag).
 */
export function convolutionPair(plainName: string, fusedName: string, depthwise: boolean, bySimd: SimdConvolution): { plain: ReplacementKernel; fused: ReplacementKernel } {
  return { plain: replacement(plainName, false, depthwise, bySimd), fused: replacement(fusedName, true, depthwise, bySimd) };
}


// EffnetPointwiseConv and EffnetDepthwiseConv for the wasm backend: the convolutions with bias and
// activation that @effnet/blocks' pointwiseConvForward and depthwiseConvForward call (the fused
// inference form's 1×1 and depthwise layers) where the active backend registers them. tfjs's fused
// kernels have no SiLU, so without these every SiLU is a pass of its own over the convolution's
// output (EffnetSilu); here effnet's SIMD kernels apply it (and sigmoid) to each block of output
// while it is still in cache. Calls the SIMD kernels cannot take (output channels not a multiple of
// 8, or of 4 for depthwise, no WebAssembly SIMD) run the FusedConv2D or FusedDepthwiseConv2D
// kernel, then EffnetSilu for SiLU.
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import type { SimdConvolution } from './convolution-pair.js';
import { convolutionBySimd } from './conv2d.js';
import { depthwiseBySimd } from './depthwise-conv2d.js';
import { inKernelScope } from './kernel-scope.js';
import { ACTIVATION_NAMES, activationCode } from './simd-activation.js';

/** The kernels' names, as @effnet/blocks exports them (POINTWISE_CONV_KERNEL, DEPTHWISE_CONV_KERNEL). */
export const POINTWISE_CONV = 'EffnetPointwiseConv';
export const DEPTHWISE_CONV = 'EffnetDepthwiseConv';

interface InferenceConvAttrs {
  activation?: string;
  /** [sh, sw]; 1×1 convolutions have none (stride 1). */
  strides?: [number, number];
  /** [top, bottom, left, right]; 1×1 convolutions have none. */
  pads?: [number, number, number, number];
}

function inferenceConvolution(kernelName: string, fusedKernel: 'FusedConv2D' | 'FusedDepthwiseConv2D', depthwise: boolean, bySimd: SimdConvolution): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, filter, bias } = inputs as unknown as { x?: TensorInfo; filter?: TensorInfo; bias?: TensorInfo };
    if (x === undefined || filter === undefined) throw new EffnetBackendError('wasm', `${kernelName} needs the inputs x and filter`);
    const { activation = 'linear', strides = [1, 1], pads = [0, 0, 0, 0] } = attrs as unknown as InferenceConvAttrs;
    const code = activationCode(activation);
    if (code === undefined) {
      throw new EffnetBackendError('wasm', `${kernelName} applies ${ACTIVATION_NAMES.join(', ')}; got the activation '${activation}'`);
    }
    if (strides.length !== 2 || !strides.every((s) => Number.isInteger(s) && s >= 1) || pads.length !== 4 || !pads.every((p) => Number.isInteger(p) && p >= 0)) {
      throw new EffnetBackendError('wasm', `${kernelName} needs strides [sh, sw] of whole numbers ≥ 1 and pads [top, bottom, left, right] of whole numbers ≥ 0; got strides [${strides.join(', ')}], pads [${pads.join(', ')}]`);
    }
    const pad: backend_util.ExplicitPadding = [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]];
    const simd = x.dtype === 'float32' && filter.dtype === 'float32' && (bias === undefined || bias.dtype === 'float32') ? simdKernels(backend as KernelBackend) : null;
    if (simd !== null && x.shape.length === 4 && filter.shape.length === 4) {
      const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, undefined, depthwise);
      if (bias === undefined || (bias.shape.length === 1 && bias.shape[0] === info.outChannels)) {
        const out = bySimd({ backend: backend as WasmBackend, simd, x, filter, bias, info, activation: code });
        if (typeof out !== 'string') return out;
      }
    }
    // tfjs's fused kernels apply every activation here but SiLU, which EffnetSilu applies after.
    return inKernelScope(backend as KernelBackend, (scope) => {
      const fusedInputs: Record<string, TensorInfo> = bias === undefined ? { x, filter } : { x, filter, bias };
      const y = scope.run(fusedKernel, fusedInputs, { strides, pad, dataFormat: 'NHWC', dilations: 1, activation: activation === 'silu' ? 'linear' : activation });
      return activation === 'silu' ? scope.run('EffnetSilu', { x: y }) : y;
    });
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}

/** EffnetPointwiseConv (a 1×1 convolution with bias and activation, SiLU included) for the `wasm` backend. */
export const pointwiseConvConfig = inferenceConvolution(POINTWISE_CONV, 'FusedConv2D', false, convolutionBySimd);

/** EffnetDepthwiseConv (a depthwise convolution with explicit pads, bias and activation, SiLU included) for the `wasm` backend. */
export const depthwiseConvConfig = inferenceConvolution(DEPTHWISE_CONV, 'FusedDepthwiseConv2D', true, depthwiseBySimd);

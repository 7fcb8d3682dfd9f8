// Conv2D and FusedConv2D for the wasm backend, replacing tfjs-backend-wasm's own (XNNPACK's
// convolution: 35-39 GFLOP/s on 3×3 layers here, 31 on B0's stem). With NHWC
// float32 data, no dilation and Cout a multiple of 8 (every convolution of EfficientNet but the
// squeeze-excite ones), effnet's SIMD kernels compute it, adding the bias and applying relu or
// relu6 on the way out: a 1×1 filter with stride 1 and no padding as the matrix product of the
// input [n·h·w, Cin] and the filter [Cin, Cout] (`pointwise` in src/simd/kernels.wat), any other
// filter and stride with at least 16 input channels directly on the input, zero-padded first where
// the windows reach past it (`conv`). Everything else (stems, dilations, other activations, prelu
// weights, NCHW) goes to the stock kernel. Follows tfjs's kernels of those names.
import { Conv2D, FusedConv2D, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { convolutionPair, type SimdConvolutionCall } from './convolution-pair.js';
import { inKernelScope } from './kernel-scope.js';
import { paddedInput } from './padded-input.js';

/**
 * Fewest input channels for the direct kernel (`conv`): timed against XNNPACK's in one process
 * (aligned tensors), it was slower on the RGB and grey stems (3 and 1 channels), level at 16 and
 * 10-25 % faster from 24 up.
 */
const MIN_DIRECT_CHANNELS = 16;

/** The convolution by a SIMD kernel, or the reason neither applies (EffnetPointwiseConv calls it too, with sigmoid or SiLU). */
export function convolutionBySimd({ backend, simd, x, filter, bias, info, activation }: SimdConvolutionCall): TensorInfo | string {
  const [kh, kw, inC, outC] = filter.shape as [number, number, number, number];
  if (inC === 0 || outC % 8 !== 0) return `a filter of shape [${filter.shape.join(', ')}] (output channels a multiple of 8 run in SIMD)`;
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return 'dilations';
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  const [biasAt, hasBias] = bias === undefined ? [0, 0] : [at(bias), 1];
  const { top, bottom, left, right } = info.padInfo;
  if (kh === 1 && kw === 1 && info.strideHeight === 1 && info.strideWidth === 1 && top + bottom + left + right === 0) {
    const out = backend.makeOutput(info.outShape, 'float32');
    const rows = info.batchSize * info.outHeight * info.outWidth;
    if (rows > 0 && outC > 0) simd.pointwise(at(x), at(filter), biasAt, at(out), rows, inC, outC, hasBias, activation);
    return out;
  }
  if (activation > 2) return 'sigmoid or SiLU after a filter other than 1×1 (the direct SIMD kernel applies relu and relu6 only)';
  // Few input channels (stems) leave the direct kernel little to sum per load: XNNPACK's is faster there.
  if (inC < MIN_DIRECT_CHANNELS) return `${inC} input channels (at least ${MIN_DIRECT_CHANNELS} for the direct SIMD kernel)`;
  return inKernelScope(backend, (scope) => {
    const out = backend.makeOutput(info.outShape, 'float32');
    if (util.sizeFromShape(info.outShape) === 0) return out;
    const xp = paddedInput(scope, x, info);
    const [, hp, wp] = xp.shape as [number, number, number, number];
    simd.conv(at(xp), at(filter), biasAt, at(out), info.batchSize, hp, wp, inC, info.outHeight, info.outWidth, outC, kh, kw, info.strideHeight, info.strideWidth, hasBias, activation);
    return out;
  });
}

const pair = convolutionPair(Conv2D, FusedConv2D, false, convolutionBySimd);

/** Conv2D for `wasm` and the stock kernel it falls back to. */
export const { config: conv2dConfig, stock: conv2dStock } = pair.plain;
/** FusedConv2D for `wasm` and the stock kernel it falls back to. */
export const { config: fusedConv2dConfig, stock: fusedConv2dStock } = pair.fused;

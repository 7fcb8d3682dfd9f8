// Conv2D and FusedConv2D for the wasm backend, replacing tfjs-backend-wasm's own (XNNPACK's
// convolution, about 30 GFLOP/s on B0's 1×1 layers here). A 1×1 convolution with stride 1 and no
// padding is a matrix product of the input [n·h·w, Cin] and the filter [Cin, Cout]: with NHWC
// float32 data and Cout a multiple of 8 (every 1×1 layer of EfficientNet but the squeeze-excite
// ones), effnet's SIMD kernel (`pointwise` in src/simd/kernels.wat) computes it in 4 × 8 blocks,
// adding the bias and applying relu or relu6 on the way out. Everything else (other filters,
// strides, activations, prelu weights, NCHW) goes to the stock kernel. Follows tfjs's kernels of
// those names.
import { Conv2D, FusedConv2D } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { convolutionPair, type SimdConvolutionCall } from './convolution-pair.js';

/** The 1×1 convolution by the SIMD kernel, or the reason it does not apply. */
function bySimd({ backend, simd, x, filter, bias, info, activation }: SimdConvolutionCall): TensorInfo | string {
  const [kh, kw, inC, outC] = filter.shape as [number, number, number, number];
  if (kh !== 1 || kw !== 1 || inC === 0 || outC % 8 !== 0) return `a filter of shape [${filter.shape.join(', ')}] (1 × 1 with output channels a multiple of 8 run in SIMD)`;
  const { top, bottom, left, right } = info.padInfo;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || top + bottom + left + right !== 0) return 'strides or padding';
  const out = backend.makeOutput(info.outShape, 'float32');
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  if (rows > 0 && outC > 0) simd.pointwise(at(x), at(filter), bias === undefined ? 0 : at(bias), at(out), rows, inC, outC, bias === undefined ? 0 : 1, activation);
  return out;
}

const pair = convolutionPair(Conv2D, FusedConv2D, false, bySimd);

/** Conv2D for `wasm` and the stock kernel it falls back to. */
export const { config: conv2dConfig, stock: conv2dStock } = pair.plain;
/** FusedConv2D for `wasm` and the stock kernel it falls back to. */
export const { config: fusedConv2dConfig, stock: fusedConv2dStock } = pair.fused;

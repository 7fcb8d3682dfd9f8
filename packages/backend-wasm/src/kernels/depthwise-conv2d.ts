// DepthwiseConv2dNative and FusedDepthwiseConv2D for the wasm backend, replacing
// tfjs-backend-wasm's own (XNNPACK's depthwise convolution, 5-10 GFLOP/s on B0's layers here).
// With a channel multiplier of 1, no dilation, NHWC float32 data and channels a multiple of 4
// (every EfficientNet), effnet's SIMD kernel (`depthwiseConv` in src/simd/kernels.wat) computes
// four output pixels at a time, reading the input in place (taps that fall in tfjs-core's zero
// padding are skipped, as tfjs-backend-cpu skips them), adding the bias and applying relu or relu6
// on the way out. Everything else (other activations, prelu weights, dilations, multipliers,
// NCHW) goes to the stock kernel. Follows tfjs's kernels of those names.
import { DepthwiseConv2dNative, FusedDepthwiseConv2D } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { convolutionPair, type SimdConvolutionCall } from './convolution-pair.js';

/** The convolution by the SIMD kernel, or the reason it does not apply (EffnetDepthwiseConv calls it too, with sigmoid or SiLU). */
export function depthwiseBySimd({ backend, simd, x, filter, bias, info, activation }: SimdConvolutionCall): TensorInfo | string {
  const [kh, kw, c, multiplier] = filter.shape as [number, number, number, number];
  if (multiplier !== 1 || c % 4 !== 0) return `a filter of shape [${filter.shape.join(', ')}] (a channel multiplier of 1 and channels a multiple of 4 run in SIMD)`;
  if (info.dilationHeight > 1 || info.dilationWidth > 1) return 'dilations above 1';
  if (info.outHeight <= 0 || info.outWidth <= 0) return `an output of ${info.outHeight} × ${info.outWidth} pixels`;
  const out = backend.makeOutput(info.outShape, 'float32');
  if (info.batchSize === 0) return out;
  const [n, h, w] = x.shape as [number, number, number, number];
  const { top, left } = info.padInfo;
  // the output columns whose windows lie inside the input's columns: the kernel's fast path
  const xs = Math.min(info.outWidth, Math.ceil(left / info.strideWidth));
  const xe = w + left - kw < 0 ? 0 : Math.min(info.outWidth, Math.floor((w + left - kw) / info.strideWidth) + 1);
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  simd.depthwiseConv(at(x), at(filter), bias === undefined ? 0 : at(bias), at(out), n, h, w, info.outHeight, info.outWidth, c, kh, kw, info.strideHeight, info.strideWidth, top, left, xs, Math.max(xs, xe), bias === undefined ? 0 : 1, activation);
  return out;
}

const pair = convolutionPair(DepthwiseConv2dNative, FusedDepthwiseConv2D, true, depthwiseBySimd);

/** DepthwiseConv2dNative for `wasm` and the stock kernel it falls back to. */
export const { config: depthwiseConv2dConfig, stock: depthwiseConv2dStock } = pair.plain;
/** FusedDepthwiseConv2D for `wasm` and the stock kernel it falls back to. */
export const { config: fusedDepthwiseConv2dConfig, stock: fusedDepthwiseConv2dStock } = pair.fused;

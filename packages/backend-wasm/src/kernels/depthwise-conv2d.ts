// DepthwiseConv2dNative and FusedDepthwiseConv2D for the wasm backend, replacing
// tfjs-backend-wasm's own (XNNPACK's depthwise convolution, 5-10 GFLOP/s on B0's layers here).
// With a channel multiplier of 1, no dilation, NHWC float32 data and channels a multiple of 4
// (every EfficientNet), effnet's SIMD kernel (`depthwiseConv` in src/simd/kernels.wat) computes
// four output pixels at a time, reading the input in place (taps that fall in tfjs-core's zero
// padding are skipped, as tfjs-backend-cpu skips them), adding the bias and applying relu or relu6
// on the way out. Everything else (other activations, prelu weights,
// dilations, multipliers, NCHW) goes to the stock kernel. Follows tfjs's kernels of those names.
import { backend_util, DepthwiseConv2dNative, FusedDepthwiseConv2D, util } from '@tensorflow/tfjs-core';
import type { DepthwiseConv2dNativeAttrs, FusedDepthwiseConv2DAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { StockKernel } from './stock-kernel.js';

/** tfjs-backend-wasm's own DepthwiseConv2dNative, for what the SIMD kernel does not cover. */
export const depthwiseConv2dStock = new StockKernel(DepthwiseConv2dNative);
/** tfjs-backend-wasm's own FusedDepthwiseConv2D, for what the SIMD kernel does not cover. */
export const fusedDepthwiseConv2dStock = new StockKernel(FusedDepthwiseConv2D);

/** The activations the SIMD kernel applies, by the code kernels.wat takes. */
const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2 };

interface DepthwiseInputs {
  x: TensorInfo;
  filter: TensorInfo;
  bias?: TensorInfo;
}

/** The convolution by the SIMD kernel, or null (with the reason) where it does not apply. */
function bySimd(backend: KernelBackend, { x, filter, bias }: DepthwiseInputs, attrs: DepthwiseConv2dNativeAttrs, activation: number): TensorInfo | string {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return `${x.dtype} inputs`;
  if (attrs.dataFormat === 'NCHW') return 'NCHW data';
  const [kh, kw, c, multiplier] = filter.shape as [number, number, number, number];
  if (multiplier !== 1 || c % 4 !== 0) return `a filter of shape [${filter.shape.join(', ')}] (a channel multiplier of 1 and channels a multiple of 4 run in SIMD)`;
  if (bias !== undefined && (bias.dtype !== 'float32' || util.sizeFromShape(bias.shape) !== c)) return `a bias of shape [${bias.shape.join(', ')}]`;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  if (info.dilationHeight > 1 || info.dilationWidth > 1) return 'dilations above 1';
  if (info.outHeight <= 0 || info.outWidth <= 0) return `an output of ${info.outHeight} × ${info.outWidth} pixels`;
  const simd = simdKernels(backend);
  if (simd === null) return 'runtimes without WebAssembly SIMD';
  const wasm = backend as WasmBackend;
  const out = wasm.makeOutput([info.batchSize, info.outHeight, info.outWidth, c], 'float32');
  if (info.batchSize === 0) return out;
  const [n, h, w] = x.shape as [number, number, number, number];
  const { top, left } = info.padInfo;
  // the output columns whose windows lie inside the input's columns: the kernel's fast path
  const xs = Math.min(info.outWidth, Math.ceil(left / info.strideWidth));
  const xe = w + left - kw < 0 ? 0 : Math.min(info.outWidth, Math.floor((w + left - kw) / info.strideWidth) + 1);
  const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId);
  simd.depthwiseConv(at(x), at(filter), bias === undefined ? 0 : at(bias), at(out), n, h, w, info.outHeight, info.outWidth, c, kh, kw, info.strideHeight, info.strideWidth, top, left, xs, Math.max(xs, xe), bias === undefined ? 0 : 1, activation);
  return out;
}

const depthwiseConv2d: KernelFunc = (args) => {
  const out = bySimd(args.backend as KernelBackend, args.inputs as unknown as DepthwiseInputs, args.attrs as unknown as DepthwiseConv2dNativeAttrs, 0);
  return typeof out === 'string' ? depthwiseConv2dStock.run(args, out) : out;
};

const fusedDepthwiseConv2d: KernelFunc = (args) => {
  const attrs = args.attrs as unknown as FusedDepthwiseConv2DAttrs;
  const inputs = args.inputs as unknown as DepthwiseInputs & { preluActivationWeights?: TensorInfo };
  const activation = ACTIVATIONS[attrs.activation ?? 'linear'];
  const out =
    activation === undefined
      ? `the ${attrs.activation} activation`
      : inputs.preluActivationWeights !== undefined
        ? 'prelu weights'
        : bySimd(args.backend as KernelBackend, inputs, attrs, activation);
  return typeof out === 'string' ? fusedDepthwiseConv2dStock.run(args, out) : out;
};

/** DepthwiseConv2dNative for `wasm`: effnet's SIMD kernel where it applies. */
export const depthwiseConv2dConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNative,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2d,
  setupFunc: (backend) => depthwiseConv2dStock.setup(backend as KernelBackend),
};

/** FusedDepthwiseConv2D for `wasm`: effnet's SIMD kernel with bias and relu/relu6 where it applies. */
export const fusedDepthwiseConv2dConfig: KernelConfig = {
  kernelName: FusedDepthwiseConv2D,
  backendName: 'wasm',
  kernelFunc: fusedDepthwiseConv2d,
  setupFunc: (backend) => fusedDepthwiseConv2dStock.setup(backend as KernelBackend),
};

// DepthwiseConv2dNativeBackpropFilter for the wasm backend, in tfjs-backend-wasm's compiled
// (XNNPACK) kernels. dW[i, j, c, m] = Σ_{n, oh, ow} xp[n, oh·sh + i, ow·sw + j, c] · dy[n, oh, ow, c·M + m]
// is a depthwise convolution of the padded input transposed to [1, H, W, N·C] with dy transposed
// to [OH, OW, N·C, M] as the filter, dilated by the forward stride; summing its [kh, kw, N, C·M]
// output over N gives dW. Dilated forward passes are refused, as tfjs-core's gradient does.
// That convolution's kernel is dy, as large as the output: XNNPACK has no fast path for it (21.7 %
// of B0's training step at 128 px, batch 16, 8× the forward depthwise convolution). So with a
// channel multiplier of 1 and channels a multiple of 4 (every EfficientNet), effnet's own SIMD
// kernel (src/simd/kernels.wat) sums the products tap by tap in one pass over xp and dy instead.
// Follows TensorFlow's DepthwiseConv2dNativeBackpropFilter (NHWC, channel multiplier M).
import { backend_util, DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { inKernelScope, type KernelScope } from './kernel-scope.js';
import { checkDy } from './check-dy.js';
import { refuseDilation } from './refuse-dilation.js';
import { cropSpatial, paddedInput } from './padded-input.js';
import { simdKernels, type SimdKernels, type WasmBackend } from '../simd/simd-kernels.js';

function bySimd(scope: KernelScope, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, filterShape: number[]): TensorInfo {
  const backend = scope.backend as WasmBackend;
  const xp = paddedInput(scope, x, info);
  const out = scope.track(backend.makeOutput(filterShape, 'float32'));
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  const [n, hp, wp, c] = xp.shape as [number, number, number, number];
  simd.depthwiseFilterGrad(at(xp), at(dy), at(out), n, hp, wp, info.outHeight, info.outWidth, c, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth);
  return out;
}

function byCorrelation(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, filterShape: number[]): TensorInfo {
  const [kh, kw, inC, mult] = filterShape as [number, number, number, number];
  const n = info.batchSize;
  const xp = paddedInput(scope, x, info);
  const xT = scope.run('Transpose', { x: xp }, { perm: [1, 2, 0, 3] });
  const input = scope.reshape(xT, [1, xp.shape[1]!, xp.shape[2]!, n * inC]);
  const dyT = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const filter = scope.reshape(dyT, [info.outHeight, info.outWidth, n * inC, mult]);
  const corr = scope.run('DepthwiseConv2dNative', { x: input, filter }, {
    strides: [1, 1],
    dilations: [info.strideHeight, info.strideWidth],
    pad: 'valid',
  });
  const taps = cropSpatial(scope, corr, kh, kw);
  if (n === 1) return scope.reshape(taps, filterShape);
  const perImage = scope.reshape(taps, [kh * kw, n, inC * mult]);
  const summed = scope.run('Sum', { x: perImage }, { axis: [1], keepDims: false });
  return scope.reshape(summed, filterShape);
}

const depthwiseConv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  return inKernelScope(backend as KernelBackend, (scope) => {
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    checkDy(dy, info, DepthwiseConv2dNativeBackpropFilter);
    refuseDilation(info, DepthwiseConv2dNativeBackpropFilter);
    const simd = x.dtype === 'float32' && dy.dtype === 'float32' && filterShape[3] === 1 && filterShape[2]! % 4 === 0 ? simdKernels(backend as KernelBackend) : null;
    return simd ? bySimd(scope, simd, x, dy, info, filterShape) : byCorrelation(scope, x, dy, info, filterShape);
  });
};

/** DepthwiseConv2dNativeBackpropFilter (the filter gradient of depthwiseConv2d) for `wasm`. */
export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter,
};

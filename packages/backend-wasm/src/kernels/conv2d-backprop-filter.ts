// Conv2DBackpropFilter for the wasm backend:
//   dW[i, j, ci, co] = Σ_{n, oh, ow} xp[n, oh·sh + i, ow·sw + j, ci] · dy[n, oh, ow, co]
// With float32 data and Cout a multiple of 8 (every convolution of EfficientNet but the
// squeeze-excite ones), effnet's SIMD kernel (`convFilterGrad` in src/simd/kernels.wat) sums it
// directly over the padded input, 4 input × 8 output channels at a time (40-47 GFLOP/s here, where
// the paths below ran at about 14). Otherwise tfjs-backend-wasm's compiled (XNNPACK) kernels: dW is
// itself a convolution, of the padded input transposed to [Cin, H, W, N] with dy transposed to
// [OH, OW, N, Cout] as the filter, dilated by the forward stride; its [Cin, kh, kw, Cout] output
// transposed is dW. A 1×1, stride-1, unpadded filter is one matrix product xᵀ·dy instead, and
// few input channels (kh·kw·Cin ≤ 27) take patches (a one-hot Conv2D) times dy.
// Follows TensorFlow's Conv2DBackpropFilter definition (NHWC; NCHW is transposed to NHWC).
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { inKernelScope, type KernelScope } from './kernel-scope.js';
import { checkDy } from './check-dy.js';
import { cropSpatial, paddedInput } from './padded-input.js';

/**
 * Largest kh·kw·Cin done by patches: with few input channels (a stem on grey or RGB images) the
 * correlation below has a tiny output and a huge filter, which XNNPACK runs slowly (6 ms for the
 * 3×3 stem of a batch of 64 28×28 grey images; patches: about a third of that).
 */
const PATCHES_UP_TO = 27;

/**
 * dW as patchesᵀ·dy: the patches [N, OH, OW, kh·kw·Cin] come from a compiled Conv2D of x with a
 * one-hot filter (tap-major, channel-minor: the order of dW's first three axes), then one matrix
 * product with dy over the N·OH·OW positions.
 */
function byPatches(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, filterShape: [number, number, number, number]): TensorInfo {
  const [kh, kw, inC, outC] = filterShape;
  const taps = kh * kw * inC;
  const oneHot = new Float32Array(taps * taps);
  for (let k = 0; k < taps; k++) oneHot[k * taps + k] = 1;
  const { top, bottom, left, right } = info.padInfo;
  const patches = scope.run('Conv2D', { x, filter: scope.fromValues(oneHot, [kh, kw, inC, taps]) }, {
    strides: [info.strideHeight, info.strideWidth],
    pad: [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dilations: [1, 1],
  } as never);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const product = scope.transposedProduct(scope.reshape(patches, [1, rows, taps]), scope.reshape(dy, [1, rows, outC]));
  return scope.reshape(product, filterShape);
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: xIn, dy: dyIn } = inputs as unknown as Conv2DBackpropFilterInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  return inKernelScope(backend as KernelBackend, (scope) => {
    let x = xIn as TensorInfo;
    let dy = dyIn as TensorInfo;
    if (dataFormat === 'NCHW') {
      x = scope.run('Transpose', { x }, { perm: [0, 2, 3, 1] });
      dy = scope.run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] });
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    checkDy(dy, info, Conv2DBackpropFilter);
    const [kh, kw, inC, outC] = filterShape;
    const simd = simdKernels(backend as KernelBackend);
    if (simd !== null && outC % 8 === 0 && x.dtype === 'float32' && dy.dtype === 'float32') {
      const wasm = backend as WasmBackend;
      const xp = paddedInput(scope, x, info);
      const [, hp, wp] = xp.shape as [number, number, number, number];
      const dw = wasm.makeOutput(filterShape, 'float32');
      const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId);
      if (inC > 0 && outC > 0) simd.convFilterGrad(at(xp), at(dy), at(dw), info.batchSize, hp, wp, inC, info.outHeight, info.outWidth, outC, kh, kw, info.strideHeight, info.strideWidth);
      return dw;
    }
    const { top, bottom, left, right } = info.padInfo;
    if (kh === 1 && kw === 1 && info.strideHeight === 1 && info.strideWidth === 1 && top + bottom + left + right === 0) {
      const rows = info.batchSize * info.outHeight * info.outWidth;
      const product = scope.transposedProduct(scope.reshape(x, [1, rows, inC]), scope.reshape(dy, [1, rows, outC]));
      return scope.reshape(product, filterShape);
    }
    if (kh * kw * inC <= PATCHES_UP_TO) return byPatches(scope, x, dy, info, filterShape);
    const xT = scope.run('Transpose', { x: paddedInput(scope, x, info) }, { perm: [3, 1, 2, 0] });
    const dyT = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const corr = scope.run('Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    });
    const taps = cropSpatial(scope, corr, kh, kw);
    return scope.run('Transpose', { x: taps }, { perm: [1, 2, 0, 3] });
  });
};

/** Conv2DBackpropFilter (the filter gradient of conv2d) for the `wasm` backend. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};

// Conv2DBackpropInput for the wasm backend, replacing tfjs-backend-wasm's own kernel (plain C
// loops). With float32 data and Cin a multiple of 8, effnet's SIMD kernel (`convInputGrad` in
// src/simd/kernels.wat) sums dx directly: for each column, only the taps whose dy position is whole
// and inside dy, four columns that meet the same taps × 8 channels at a time in registers (no
// zeros spread, no wasted taps at any stride). Otherwise its compiled XNNPACK Conv2D: the input
// gradient of a convolution is a stride-1
// correlation of dy, spread onto the forward stride grid (zeros between rows and columns) and
// framed by the filter's reach minus the forward padding, with the spatially flipped filter
// whose in/out channels are swapped ([kh, kw, Cout, Cin]). Follows TensorFlow's
// Conv2DBackpropInput (transposed convolution) definition. Equal strides above 1 take the
// sub-pixel form instead (sub-pixel.ts: no zeros spread, s² times less work). NHWC only: channels-first calls go to
// the stock kernel this one replaced (kept by `replaceStockKernels`), or fail with a typed error.
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropInputAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { inKernelScope } from './kernel-scope.js';
import { checkDy } from './check-dy.js';
import { spreadOnStrideGrid, transposedFrame } from './spread-gradient.js';
import { subPixelApplies, subPixelInputGradient } from './sub-pixel.js';
import { StockKernel } from './stock-kernel.js';

/** The kernel this one replaced, for the cases it hands back (channels-first data). */
export const conv2dBackpropInputStock = new StockKernel(Conv2DBackpropInput);

const conv2dBackpropInput: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as unknown as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat === 'NCHW') {
    return conv2dBackpropInputStock.run(args, 'channels-first (NCHW) data; pass NHWC tensors (dataFormat "NHWC")');
  }
  return inKernelScope(backend as KernelBackend, (scope) => {
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    checkDy(dy, info, Conv2DBackpropInput);
    const [n, h, w, inC] = inputShape;
    const [kh, kw, filterIn, outC] = filter.shape as [number, number, number, number];
    if (filterIn !== inC) {
      throw new EffnetBackendError(
        'wasm',
        `${Conv2DBackpropInput}: filter [${filter.shape.join(', ')}] has ${filterIn} input channels but inputShape [${inputShape.join(', ')}] has ${inC}; ` +
          'pass the filter of the forward convolution',
      );
    }
    const simd = simdKernels(backend as KernelBackend);
    // A 1×1 stride-1 gradient is one matrix product dy·Wᵀ: the Conv2D below (effnet's 1×1 kernel) runs it unblocked by rows.
    const pointwise = kh === 1 && kw === 1 && info.strideHeight === 1 && info.strideWidth === 1;
    if (simd !== null && !pointwise && inC % 8 === 0 && outC > 0 && dy.dtype === 'float32' && filter.dtype === 'float32') {
      const wasm = backend as WasmBackend;
      const wt = scope.run('Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
      const dx = wasm.makeOutput([n, h, w, inC], 'float32');
      const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId);
      if (n * h * w * inC > 0) simd.convInputGrad(at(dy), at(wt), at(dx), n, h, w, inC, info.outHeight, info.outWidth, outC, kh, kw, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left);
      return dx;
    }
    if (subPixelApplies(info)) return subPixelInputGradient(scope, dy, filter, info);
    const spread = spreadOnStrideGrid(scope, dy, info.strideHeight, info.strideWidth);
    const frame = transposedFrame(scope, spread, info, h, w);
    // W[kh-1-i, kw-1-j, co, ci]: flipped in space, channels swapped.
    let kernel = filter;
    if (kh > 1 || kw > 1) kernel = scope.run('Reverse', { x: kernel }, { dims: [0, 1] });
    kernel = scope.run('Transpose', { x: kernel }, { perm: [0, 1, 3, 2] });
    const dx = scope.run('Conv2D', { x: frame.x, filter: kernel }, {
      strides: [1, 1],
      pad: frame.pad,
      dataFormat: 'NHWC',
      dilations: [1, 1],
    } as unknown as NamedAttrMap);
    if (dx.shape[0] !== n || dx.shape[1] !== h || dx.shape[2] !== w || dx.shape[3] !== inC || outC !== dy.shape[3]) {
      throw new Error(`${Conv2DBackpropInput}: internal shape error [${dx.shape.join(', ')}] for inputShape [${inputShape.join(', ')}]`);
    }
    return dx;
  });
};

/** Conv2DBackpropInput (the input gradient of conv2d) for `wasm`, on XNNPACK's convolution. */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
  setupFunc: (backend) => conv2dBackpropInputStock.setup(backend as KernelBackend),
};

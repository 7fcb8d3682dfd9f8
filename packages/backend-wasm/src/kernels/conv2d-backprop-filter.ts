// Conv2DBackpropFilter for the wasm backend: dW = im2col(x)ᵀ · dy, one matrix product in
// tfjs-backend-wasm's compiled BatchMatMul. im2col is kh·kw strided slices of the padded input,
// concatenated on channels in the filter's [kh][kw][in] order. A 1×1 filter needs no im2col.
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
import { KernelScope } from './kernel-scope.js';
import { filterTaps } from './filter-taps.js';

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: xIn, dy: dyIn } = inputs as unknown as Conv2DBackpropFilterInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const scope = new KernelScope(backend as KernelBackend);
  try {
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
    const [kh, kw, inC, outC] = filterShape;
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const taps = filterTaps(scope, x, info);
    const cols = taps.length === 1 ? taps[0]! : scope.run('Concat', taps, { axis: 3 });
    const a = scope.reshape(cols, [1, rows, kh * kw * inC]);
    const b = scope.reshape(dy, [1, rows, outC]);
    const product = scope.matMul(a, b, true, false);
    return scope.finish(scope.reshape(product, [kh, kw, inC, outC]));
  } catch (error) {
    scope.abandon();
    throw error;
  }
};

/** Conv2DBackpropFilter (the filter gradient of conv2d) for the `wasm` backend. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};

// DepthwiseConv2dNativeBackpropFilter for the wasm backend: for every filter tap (i, j),
// dW[i, j, c, m] = Σ over batch and output pixels of window(i, j)[c] · dy[c·M + m], one compiled
// Multiply and one compiled Sum per tap. Follows TensorFlow's DepthwiseConv2dNativeBackpropFilter
// (NHWC, channel multiplier M, dilations honoured).
import { backend_util, DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel-scope.js';
import { filterTaps } from './filter-taps.js';

const depthwiseConv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const scope = new KernelScope(backend as KernelBackend);
  try {
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    const [kh, kw, inC, mult] = filterShape;
    const windowShape = [info.batchSize, info.outHeight, info.outWidth, inC, 1];
    const grad = mult === 1 ? (dy as TensorInfo) : scope.reshape(dy as TensorInfo, [...windowShape.slice(0, 4), mult]);
    const perTap: TensorInfo[] = [];
    for (const tap of filterTaps(scope, x as TensorInfo, info)) {
      const window = mult === 1 ? tap : scope.reshape(tap, windowShape);
      const product = scope.run('Multiply', { a: window, b: grad });
      const sum = scope.run('Sum', { x: product }, { axis: [0, 1, 2], keepDims: false });
      perTap.push(scope.reshape(sum, [1, inC * mult]));
    }
    const stacked = perTap.length === 1 ? perTap[0]! : scope.run('Concat', perTap, { axis: 0 });
    return scope.finish(scope.reshape(stacked, [kh, kw, inC, mult]));
  } catch (error) {
    scope.abandon();
    throw error;
  }
};

/** DepthwiseConv2dNativeBackpropFilter (the filter gradient of depthwiseConv2d) for `wasm`. */
export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter,
};

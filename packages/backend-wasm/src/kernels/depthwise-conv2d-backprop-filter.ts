// DepthwiseConv2dNativeBackpropFilter for the wasm backend, in tfjs-backend-wasm's compiled
// (XNNPACK) kernels. dW[i, j, c, m] = Σ_{n, oh, ow} xp[n, oh·sh + i, ow·sw + j, c] · dy[n, oh, ow, c·M + m]
// is a depthwise convolution of the padded input transposed to [1, H, W, N·C] with dy transposed
// to [OH, OW, N·C, M] as the filter, dilated by the forward stride; summing its [kh, kw, N, C·M]
// output over N gives dW. Dilated forward passes are refused, as tfjs-core's gradient does.
// Follows TensorFlow's DepthwiseConv2dNativeBackpropFilter (NHWC, channel multiplier M).
import { backend_util, DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel-scope.js';
import { checkDy } from './check-dy.js';
import { refuseDilation } from './refuse-dilation.js';
import { cropSpatial, paddedInput } from './padded-input.js';

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
    checkDy(dy, info, DepthwiseConv2dNativeBackpropFilter);
    refuseDilation(info, DepthwiseConv2dNativeBackpropFilter);
    return scope.finish(byCorrelation(scope, x, dy, info, filterShape));
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

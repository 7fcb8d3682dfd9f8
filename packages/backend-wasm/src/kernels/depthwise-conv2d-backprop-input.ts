// DepthwiseConv2dNativeBackpropInput for the wasm backend: the input gradient is a stride-1
// depthwise correlation of dy (zeros inserted between rows and columns for stride s, then padded
// by the filter's reach minus the forward padding) with the spatially flipped filter, run by the
// wasm backend's compiled DepthwiseConv2dNative; with a channel multiplier M the M products of
// each input channel are summed. Follows TensorFlow's DepthwiseConv2dNativeBackpropInput (NHWC).
import { backend_util, DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { inKernelScope } from './kernel-scope.js';
import { checkDy } from './check-dy.js';
import { refuseDilation } from './refuse-dilation.js';
import { spreadOnStrideGrid, transposedFrame } from './spread-gradient.js';

const depthwiseConv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as unknown as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  return inKernelScope(backend as KernelBackend, (scope) => {
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    checkDy(dy as TensorInfo, info, DepthwiseConv2dNativeBackpropInput);
    refuseDilation(info, DepthwiseConv2dNativeBackpropInput);
    const [n, h, w, inC] = inputShape;
    const [kh, kw, , mult] = filter.shape as [number, number, number, number];
    const { strideHeight: sh, strideWidth: sw } = info;
    const channels = inC * mult;
    const spread = spreadOnStrideGrid(scope, dy as TensorInfo, sh, sw);
    const frame = transposedFrame(scope, spread, info, h, w);
    const window = scope.pad(frame.x, frame.pad);
    const flipped = scope.run('Reverse', { x: filter as TensorInfo }, { dims: [0, 1] });
    const perChannel = scope.reshape(flipped, [kh, kw, channels, 1]);
    const dx = scope.run('DepthwiseConv2dNative', { x: window, filter: perChannel }, {
      strides: [1, 1],
      dilations: [info.dilationHeight, info.dilationWidth],
      pad: 'valid',
    });
    if (mult === 1) return dx;
    const split = scope.reshape(dx, [n, h, w, inC, mult]);
    return scope.run('Sum', { x: split }, { axis: [4], keepDims: false });
  });
};

/** DepthwiseConv2dNativeBackpropInput (the input gradient of depthwiseConv2d) for `wasm`. */
export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput,
};

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
import { KernelScope } from './kernel-scope.js';
import { checkDy } from './check-dy.js';
import { refuseDilation } from './refuse-dilation.js';

/** Before/after amounts that turn a length-`have` axis into `want` starting at `front`. */
function edges(front: number, have: number, want: number): { pad: [number, number]; begin: number; size: number } {
  const before = Math.max(0, front);
  const after = Math.max(0, want - front - have);
  // Negative amounts (explicit padding larger than the filter) become a slice instead.
  return { pad: [before, after], begin: Math.max(0, -front), size: want };
}

const depthwiseConv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as unknown as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const scope = new KernelScope(backend as KernelBackend);
  try {
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
    const { outHeight, outWidth, strideHeight: sh, strideWidth: sw } = info;
    const channels = inC * mult;
    // Spread dy onto the stride grid: [N, OH, 1, OW, 1, C] padded to [N, OH, sh, OW, sw, C].
    let spread = dy as TensorInfo;
    if (sh > 1 || sw > 1) {
      const grid = scope.reshape(spread, [n, outHeight, 1, outWidth, 1, channels]);
      const padded = scope.pad(grid, [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ]);
      spread = scope.reshape(padded, [n, outHeight * sh, outWidth * sw, channels]);
    }
    const reachH = (kh - 1) * info.dilationHeight;
    const reachW = (kw - 1) * info.dilationWidth;
    const rows = edges(reachH - info.padInfo.top, spread.shape[1]!, h + reachH);
    const cols = edges(reachW - info.padInfo.left, spread.shape[2]!, w + reachW);
    const framed = scope.pad(spread, [[0, 0], rows.pad, cols.pad, [0, 0]]);
    const window = scope.stridedSlice(framed, [0, rows.begin, cols.begin, 0], [n, rows.size, cols.size, channels], [1, 1, 1, 1]);
    const flipped = scope.run('Reverse', { x: filter as TensorInfo }, { dims: [0, 1] });
    const perChannel = scope.reshape(flipped, [kh, kw, channels, 1]);
    const dx = scope.run('DepthwiseConv2dNative', { x: window, filter: perChannel }, {
      strides: [1, 1],
      dilations: [info.dilationHeight, info.dilationWidth],
      pad: 'valid',
    });
    if (mult === 1) return scope.finish(dx);
    const split = scope.reshape(dx, [n, h, w, inC, mult]);
    return scope.finish(scope.run('Sum', { x: split }, { axis: [4], keepDims: false }));
  } catch (error) {
    scope.abandon();
    throw error;
  }
};

/** DepthwiseConv2dNativeBackpropInput (the input gradient of depthwiseConv2d) for `wasm`. */
export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput,
};

// The input gradient of a strided convolution as a stride-1 one (transposed convolution): dy
// spread onto the forward stride grid (s − 1 zeros after every row and column), then framed so
// that a valid correlation with a kh×kw filter gives exactly the input's rows and columns: the
// filter's reach minus the forward padding in front, whatever is left behind; where the forward
// padding exceeds the reach the frame is a slice instead. Follows TensorFlow's definition of
// Conv2DBackpropInput (padding conventions of tfjs-core's computeConv2DInfo).
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';

/** dy [N, OH, OW, C] as [N, OH·sh, OW·sw, C] with dy[n, i, j] at [n, i·sh, j·sw] and zeros elsewhere. */
export function spreadOnStrideGrid(scope: KernelScope, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape as [number, number, number, number];
  const grid = scope.reshape(dy, [n, oh, 1, ow, 1, c]);
  const padded = scope.pad(grid, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return scope.reshape(padded, [n, oh * sh, ow * sw, c]);
}

/** A spread gradient cut where needed, and the (non-negative) explicit padding still to apply. */
export interface TransposedFrame {
  /** The spread gradient, sliced where the forward padding exceeded the filter's reach. */
  x: TensorInfo;
  /** NHWC explicit padding [[0, 0], [top, bottom], [left, right], [0, 0]] for the stride-1 correlation. */
  pad: Array<[number, number]>;
}

function axisFrame(front: number, have: number, want: number): { begin: number; size: number; pad: [number, number] } {
  const back = want - front - have;
  const begin = Math.max(0, -front);
  const size = have - begin - Math.max(0, -back);
  return { begin, size, pad: [Math.max(0, front), Math.max(0, back)] };
}

/**
 * Frames `spread` (from {@link spreadOnStrideGrid}) for a stride-1, valid, undilated correlation
 * with the flipped filter of `info` whose output is `height` × `width`.
 */
export function transposedFrame(scope: KernelScope, spread: TensorInfo, info: backend_util.Conv2DInfo, height: number, width: number): TransposedFrame {
  const [n, sh, sw, c] = spread.shape as [number, number, number, number];
  const reachH = (info.filterHeight - 1) * info.dilationHeight;
  const reachW = (info.filterWidth - 1) * info.dilationWidth;
  const rows = axisFrame(reachH - info.padInfo.top, sh, height + reachH);
  const cols = axisFrame(reachW - info.padInfo.left, sw, width + reachW);
  const x = scope.stridedSlice(spread, [0, rows.begin, cols.begin, 0], [n, rows.size, cols.size, c], [1, 1, 1, 1]);
  return { x, pad: [[0, 0], rows.pad, cols.pad, [0, 0]] };
}

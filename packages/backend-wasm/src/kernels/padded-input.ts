// The input of a convolution padded as its forward pass saw it, for the filter-gradient kernels:
// zeros above and left as computeConv2DInfo says, and below and right as far as the last window
// reaches (rows past it are left for the caller to ignore). Follows tfjs-core's padding rules.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';

/** `x` (NHWC) padded so that every window of `info` lies inside it. */
export function paddedInput(scope: KernelScope, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { top, left } = info.padInfo;
  const [, h, w] = x.shape as [number, number, number, number];
  const needH = (info.outHeight - 1) * info.strideHeight + (info.filterHeight - 1) * info.dilationHeight + 1;
  const needW = (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1;
  return scope.pad(x, [
    [0, 0],
    [top, Math.max(0, needH - top - h)],
    [left, Math.max(0, needW - left - w)],
    [0, 0],
  ]);
}

/** `x` cut to its first `height` rows and `width` columns (dimensions 1 and 2), if larger. */
export function cropSpatial(scope: KernelScope, x: TensorInfo, height: number, width: number): TensorInfo {
  const [a, , , d] = x.shape as [number, number, number, number];
  return scope.stridedSlice(x, [0, 0, 0, 0], [a, height, width, d], [1, 1, 1, 1]);
}

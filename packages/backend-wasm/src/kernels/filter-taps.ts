// The kh·kw input windows a convolution's filter taps see: for tap (i, j), the input pixels
// (oh·sh + i·dh − top, ow·sw + j·dw − left) for every output (oh, ow), as one [N, OH, OW, C]
// tensor (zero where the window hangs over the padding). Shared by the two filter-gradient
// kernels; follows the output-size and padding rules of tfjs-core's computeConv2DInfo.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';

/**
 * Pads `x` (NHWC) as `info` says and returns its windows in tap order (row-major over the filter).
 * Every returned tensor is tracked by `scope`.
 */
export function filterTaps(scope: KernelScope, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo[] {
  const { top, left } = info.padInfo;
  const { outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const needH = (outHeight - 1) * strideHeight + (info.filterHeight - 1) * dilationHeight + 1;
  const needW = (outWidth - 1) * strideWidth + (info.filterWidth - 1) * dilationWidth + 1;
  // Explicit padding may leave rows past the last window unused: those are sliced away below.
  const bottom = Math.max(0, needH - top - h);
  const right = Math.max(0, needW - left - w);
  const padded = scope.pad(x, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
  const taps: TensorInfo[] = [];
  for (let i = 0; i < info.filterHeight; i++) {
    for (let j = 0; j < info.filterWidth; j++) {
      taps.push(
        scope.stridedSlice(
          padded,
          [0, i * dilationHeight, j * dilationWidth, 0],
          [n, outHeight, outWidth, c],
          [1, strideHeight, strideWidth, 1],
        ),
      );
    }
  }
  return taps;
}

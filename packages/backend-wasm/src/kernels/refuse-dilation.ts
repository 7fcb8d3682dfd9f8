// Dilated depthwise gradients are refused with a typed error: tfjs-core's depthwiseConv2d
// gradient rejects dilations > 1 before any kernel runs, so only a direct runKernel call gets here.
import type { backend_util } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';

/** Throws `EffnetBackendError` when `info` has a dilation above 1. */
export function refuseDilation(info: backend_util.Conv2DInfo, kernelName: string): void {
  if (info.dilationHeight > 1 || info.dilationWidth > 1) {
    throw new EffnetBackendError(
      'wasm',
      `${kernelName} with dilations [${info.dilationHeight}, ${info.dilationWidth}] is not supported ` +
        '(tfjs-core has no gradient for dilated depthwise convolutions either); use dilations [1, 1]',
    );
  }
}

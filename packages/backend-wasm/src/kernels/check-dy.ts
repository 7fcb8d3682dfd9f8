// Guards the gradient kernels against a dy whose shape does not match the forward convolution
// (the compiled kernels would read out of bounds): a typed error naming both shapes instead.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';

/** Throws `EffnetBackendError` unless `dy` (NHWC) has the output shape `info` describes. */
export function checkDy(dy: TensorInfo, info: backend_util.Conv2DInfo, kernelName: string): void {
  const expected = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dy.shape.length !== 4 || expected.some((size, d) => dy.shape[d] !== size)) {
    throw new EffnetBackendError(
      'wasm',
      `${kernelName}: dy has shape [${dy.shape.join(', ')}] but the convolution's output is [${expected.join(', ')}]; ` +
        'pass the gradient of that convolution with the same strides and padding',
    );
  }
}

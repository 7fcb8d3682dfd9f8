// The two padding conventions of the EfficientNet family, as explicit per-side pads.
// - `symmetric` (PyTorch/torchvision's Conv2dNormActivation): ⌊(k − 1)/2⌋ on every side.
// - `same` (TensorFlow's rule, used by google/automl and Keras): out = ⌈in / s⌉, total pad
//   max((out − 1)·s + k − in, 0), ⌊total/2⌋ before and the rest (the extra pixel) after, i.e. at the
//   bottom and right. On stride 2 with even inputs the two conventions differ.
import type { PaddingConvention } from '@effnet/scaling';

/** Explicit NHWC padding: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * TensorFlow's `same` padding of one spatial dimension.
 *
 * @param size - Input size.
 * @param kernel - Kernel size.
 * @param stride - Stride.
 * @returns [before, after]; `after` takes the odd pixel.
 */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * PyTorch's symmetric padding: ⌊(k − 1)/2⌋ each side.
 *
 * @param kernel - Kernel size.
 * @returns [before, after].
 */
export function symmetricPadding(kernel: number): [number, number] {
  const pad = Math.floor((kernel - 1) / 2);
  return [pad, pad];
}

/**
 * The explicit padding of a square-kernel convolution on an NHWC input of spatial size [h, w].
 *
 * @param convention - `same` or `symmetric`.
 * @param size - [height, width] of the input.
 * @param kernel - Kernel size.
 * @param stride - Stride.
 */
export function convPadding(convention: PaddingConvention, size: readonly [number, number], kernel: number, stride: number): ExplicitPadding {
  const [top, bottom] = convention === 'same' ? samePadding(size[0], kernel, stride) : symmetricPadding(kernel);
  const [left, right] = convention === 'same' ? samePadding(size[1], kernel, stride) : symmetricPadding(kernel);
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

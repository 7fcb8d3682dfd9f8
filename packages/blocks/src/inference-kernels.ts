// Inference kernels a backend may register (@effnet/backend-webgl does, on WebGL 2; @effnet/backend-wasm
// the 1×1 and depthwise convolutions, SiLU applied by its SIMD kernels) for the fused
// inference form: 1×1, depthwise and stem convolutions, each with its bias and activation (SiLU
// included), and the global mean of squeeze-excite. tfjs-backend-webgl compiles one shader per
// shared dimension for its 1×1 convolutions (and dense layers), per filter size and stride for its
// depthwise ones, per shape for its pooling, and im2col plus a product for a stem, and uploads each
// weight by a program per shape: most of a cold first predict on a software GPU. Kernels whose sizes
// are uniforms compile once. Elsewhere these functions compose tfjs ops.
import * as tf from '@tensorflow/tfjs-core';
import { backendHas } from './backend-kernels.js';
import { siluForward } from './activation.js';
import { EffnetBlockError } from './errors.js';
import { samePadding } from './padding.js';

/**
 * The kernel a backend may register for a 1×1, stride-1, unpadded convolution of NHWC `x`
 * (float32, channels even) with `filter` `[1, 1, in, out]`, plus `bias` `[out]` when given, then
 * attribute `activation` ({@link PointwiseActivation}).
 */
export const POINTWISE_CONV_KERNEL = 'EffnetPointwiseConv';

/**
 * The kernel a backend may register for a depthwise convolution (channel multiplier 1) of NHWC `x`
 * (float32) with `filter` `[fh, fw, channels, 1]`, attributes `strides` `[sh, sw]` and explicit
 * `pads` `[top, bottom, left, right]`, plus `bias` `[channels]` when given, then `activation`.
 */
export const DEPTHWISE_CONV_KERNEL = 'EffnetDepthwiseConv';

/**
 * The kernel a backend may register for a convolution of NHWC `x` (float32) with `filter`
 * `[fh, fw, in, out]`, attributes `strides` `[sh, sw]` and explicit `pads` `[top, bottom, left,
 * right]`, plus `bias` `[out]` when given, then `activation`; {@link convForward} calls it for stems.
 */
export const CONV_KERNEL = 'EffnetConv';

/** Up to how many input channels {@link convForward} calls {@link CONV_KERNEL} (stems: RGB, grey). */
export const CONV_KERNEL_MAX_CHANNELS = 4;

/**
 * The kernel a backend may register for the mean of NHWC `x` (float32) over height and width:
 * `[batch, 1, 1, channels]`.
 */
export const GLOBAL_MEAN_KERNEL = 'EffnetGlobalMean';

/**
 * The kernel a backend may register to place a constant `x` where its kernels will read it, now
 * (on webgl: written into its texture without a program, where tfjs compiles one per shape at
 * first use); it returns `x`'s data, not a copy.
 */
export const UPLOAD_KERNEL = 'EffnetUpload';

/**
 * A float32 tensor of `values`, placed where the backend's kernels read it by the backend's
 * {@link UPLOAD_KERNEL} when it has one (else `tf.tensor(values, shape)` as it is). The fused
 * inference form makes its folded weights with it.
 */
export function uploadConstant(values: Float32Array, shape: number[]): tf.Tensor {
  const x = tf.tensor(values, shape, 'float32');
  if (!backendHas(UPLOAD_KERNEL)) return x;
  const placed = tf.engine().runKernel(UPLOAD_KERNEL, { x }) as tf.Tensor;
  x.dispose();
  return placed;
}

/**
 * The kernel a backend may register for `a + b` or `a · b` (attribute `op`: 'add' or 'multiply') of
 * float32 `a` and `b`, broadcast as tfjs broadcasts (the residual add and squeeze-excite's gate).
 */
export const ELEMENTWISE_KERNEL = 'EffnetElementwise';

/**
 * `a + b` or `a · b`, broadcast (no gradient: inference): the backend's {@link ELEMENTWISE_KERNEL}
 * when it has one and both are float32 (on webgl one program for every shape, where tfjs's Add and
 * Multiply compile one per shape), else tf.add or tf.mul.
 */
export function elementwiseForward<T extends tf.Tensor>(op: 'add' | 'multiply', a: T, b: tf.Tensor): T {
  if (a.dtype === 'float32' && b.dtype === 'float32' && backendHas(ELEMENTWISE_KERNEL)) return tf.engine().runKernel(ELEMENTWISE_KERNEL, { a, b }, { op }) as T;
  return (op === 'add' ? tf.add(a, b) : tf.mul(a, b)) as T;
}

/** Activations {@link POINTWISE_CONV_KERNEL} applies itself. */
export type PointwiseActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'silu';

const TFJS_FUSED = new Set<PointwiseActivation>(['linear', 'relu', 'relu6', 'sigmoid']);

/** The named inputs of a convolution kernel: x, filter and, when given, bias. */
function convKernelInputs(x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor | undefined): tf.NamedTensorMap {
  return bias === undefined ? { x, filter } : { x, filter, bias };
}

/**
 * A 1×1 stride-1 convolution with bias and activation (no gradient: inference): the backend's
 * {@link POINTWISE_CONV_KERNEL} when it has one and the input channels are even, else
 * tf.fused.conv2d (and {@link siluForward} for SiLU).
 */
export function pointwiseConvForward(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, activation: PointwiseActivation): tf.Tensor4D {
  const [fh, fw, inChannels] = filter.shape;
  if (fh !== 1 || fw !== 1 || x.shape[3] !== inChannels) {
    throw new EffnetBlockError('pointwiseConvForward', `needs a [1, 1, ${x.shape[3]}, out] filter for x [${x.shape.join(', ')}]; got [${filter.shape.join(', ')}]`);
  }
  if (x.dtype === 'float32' && inChannels % 2 === 0 && backendHas(POINTWISE_CONV_KERNEL)) {
    return tf.engine().runKernel(POINTWISE_CONV_KERNEL, convKernelInputs(x, filter, bias), { activation }) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const inKernel = TFJS_FUSED.has(activation) ? (activation as tf.fused.Activation) : 'linear';
    const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'valid', bias, activation: inKernel });
    return activation === 'silu' ? siluForward(y) : y;
  });
}

/** Explicit pads as tfjs's `pad` argument: one number when equal, 'same' when TensorFlow's, else 'valid' (the caller pads). */
function tfjsPad(xShape: number[], filterShape: number[], strides: [number, number], pads: [number, number, number, number]): number | 'same' | 'valid' {
  if (pads.every((p) => p === pads[0])) return pads[0];
  const same = [1, 2].flatMap((axis) => samePadding(xShape[axis]!, filterShape[axis - 1]!, strides[axis - 1]!));
  return same.every((p, i) => p === pads[i]) ? 'same' : 'valid';
}

/**
 * A dense layer `x · kernel + bias` of `x` `[batch, in]` (no gradient: inference): through the
 * backend's {@link POINTWISE_CONV_KERNEL} as a 1×1 convolution of a 1×1 map when it has one and
 * `in` is even (on webgl the classifier then shares squeeze-excite's program), else tf.fused.matMul.
 */
export function linearForward(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined): tf.Tensor2D {
  const [batch, inFeatures] = x.shape;
  const outFeatures = kernel.shape[1];
  if (kernel.shape[0] !== inFeatures) {
    throw new EffnetBlockError('linearForward', `needs a [${inFeatures}, out] kernel for x [${x.shape.join(', ')}]; got [${kernel.shape.join(', ')}]`);
  }
  if (x.dtype === 'float32' && inFeatures % 2 === 0 && backendHas(POINTWISE_CONV_KERNEL)) {
    return tf.tidy(() => {
      const y = pointwiseConvForward(tf.reshape(x, [batch, 1, 1, inFeatures]), tf.reshape(kernel, [1, 1, inFeatures, outFeatures]), bias, 'linear');
      return tf.reshape(y, [batch, outFeatures]);
    });
  }
  return tf.fused.matMul({ a: x, b: kernel, bias }) as tf.Tensor2D;
}

/**
 * A windowed convolution with explicit pads, bias and activation: `kernel` (a backend's kernel
 * name) when given, else `op` (tf.fused.conv2d or depthwiseConv2d; tf.pad first where tfjs has no
 * such `pad`), then SiLU where asked.
 */
function windowedForward(
  kernel: string | null,
  op: typeof tf.fused.conv2d | typeof tf.fused.depthwiseConv2d,
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  strides: [number, number],
  pads: [number, number, number, number],
  activation: PointwiseActivation,
): tf.Tensor4D {
  if (kernel !== null) return tf.engine().runKernel(kernel, convKernelInputs(x, filter, bias), { strides, pads, activation }) as unknown as tf.Tensor4D;
  return tf.tidy(() => {
    const pad = tfjsPad(x.shape, filter.shape, strides, pads);
    const input = pad === 'valid' ? tf.pad(x, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]]) : x;
    const inKernel = TFJS_FUSED.has(activation) ? (activation as tf.fused.Activation) : 'linear';
    const y = op({ x: input, filter, strides, pad, bias, activation: inKernel });
    return activation === 'silu' ? siluForward(y) : y;
  });
}

/**
 * A depthwise convolution (channel multiplier 1) with explicit padding, bias and activation (no
 * gradient: inference): the backend's {@link DEPTHWISE_CONV_KERNEL} when it has one, else
 * tf.fused.depthwiseConv2d (after tf.pad where the pads are neither all equal nor TensorFlow's 'same'; {@link siluForward}
 * for SiLU).
 */
export function depthwiseConvForward(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  strides: [number, number],
  pads: [number, number, number, number],
  activation: PointwiseActivation,
): tf.Tensor4D {
  if (filter.shape[2] !== x.shape[3] || filter.shape[3] !== 1) {
    throw new EffnetBlockError('depthwiseConvForward', `needs a [fh, fw, ${x.shape[3]}, 1] filter for x [${x.shape.join(', ')}]; got [${filter.shape.join(', ')}]`);
  }
  const kernel = x.dtype === 'float32' && backendHas(DEPTHWISE_CONV_KERNEL) ? DEPTHWISE_CONV_KERNEL : null;
  return windowedForward(kernel, tf.fused.depthwiseConv2d, x, filter, bias, strides, pads, activation);
}

/**
 * A convolution with explicit padding, bias and activation (no gradient: inference): the
 * backend's {@link CONV_KERNEL} for up to {@link CONV_KERNEL_MAX_CHANNELS} input channels when it
 * has one (for more, the backend's own convolution, im2col and a matrix product on webgl, was not
 * measured against it), else tf.fused.conv2d (after tf.pad where the pads are neither all equal
 * nor TensorFlow's 'same'; {@link siluForward} for SiLU).
 */
export function convForward(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  strides: [number, number],
  pads: [number, number, number, number],
  activation: PointwiseActivation,
): tf.Tensor4D {
  if (filter.shape[2] !== x.shape[3]) {
    throw new EffnetBlockError('convForward', `needs a [fh, fw, ${x.shape[3]}, out] filter for x [${x.shape.join(', ')}]; got [${filter.shape.join(', ')}]`);
  }
  const kernel = x.dtype === 'float32' && x.shape[3] <= CONV_KERNEL_MAX_CHANNELS && backendHas(CONV_KERNEL) ? CONV_KERNEL : null;
  return windowedForward(kernel, tf.fused.conv2d, x, filter, bias, strides, pads, activation);
}

/**
 * The mean of NHWC `x` over height and width, `[batch, 1, 1, channels]` (no gradient: inference):
 * the backend's {@link GLOBAL_MEAN_KERNEL} when it has one, else average pooling over the whole
 * map (NHWC-native, where tf.mean over [1, 2] transposes first on some backends).
 */
export function globalMeanForward(x: tf.Tensor4D): tf.Tensor4D {
  if (x.dtype === 'float32' && backendHas(GLOBAL_MEAN_KERNEL)) return tf.engine().runKernel(GLOBAL_MEAN_KERNEL, { x }) as tf.Tensor4D;
  return tf.avgPool(x, [x.shape[1], x.shape[2]], 1, 'valid');
}

// Global average pooling of NHWC images (squeeze-excite's squeeze, the classifier head's pool).
// The value is tf.mean's. tfjs's own gradient of Mean (and of Sum) multiplies dy by a tensor of
// ones as large as x that tfjs-core fills in JavaScript and copies to the backend on every
// backward pass: on tfjs-backend-wasm, megabytes per pooled activation and training step,
// filled, copied and then collected. Here the ones come from the backend's Fill kernel (filled in
// place), and the division by H·W is done on dy before the broadcast. tf.broadcastTo (the Tile
// kernel) would be shorter, but tfjs-backend-wasm's Tile took 20 ms for one SE input of a batch of 64.
import * as tf from '@tensorflow/tfjs-core';

/**
 * The mean of `x` over its height and width: `[batch, 1, 1, channels]` with `keepDims`, else
 * `[batch, channels]`; equal to `tf.mean(x, [1, 2], keepDims)`, gradient included, bit for bit.
 *
 * @param x - NHWC images.
 * @param keepDims - Keep the pooled axes as size 1.
 */
export function globalAveragePool(x: tf.Tensor4D, keepDims: true): tf.Tensor4D;
export function globalAveragePool(x: tf.Tensor4D, keepDims?: false): tf.Tensor2D;
export function globalAveragePool(x: tf.Tensor4D, keepDims = false): tf.Tensor4D | tf.Tensor2D {
  const [batch, height, width, channels] = x.shape;
  const pool = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.mean(args[0] as tf.Tensor4D, [1, 2], keepDims),
    // tf.mean's gradient is (dy · 1) / (H·W) at every position, the same float as (dy / (H·W)) · 1.
    gradFunc: (dy: tf.Tensor) => tf.mul(tf.div(tf.reshape(dy, [batch, 1, 1, channels]), height * width), tf.fill([batch, height, width, channels], 1)),
  }));
  return pool(x) as tf.Tensor4D | tf.Tensor2D;
}

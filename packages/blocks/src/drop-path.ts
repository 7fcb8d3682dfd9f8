// Drop path (stochastic depth, Huang et al. 2016; torchvision's StochasticDepth in "row" mode): in
// training each sample's residual branch is zeroed with probability p and the survivors scaled by
// 1/(1−p); in evaluation it is the identity. The mask comes from a seed, so a step can be replayed.
import * as tf from '@tensorflow/tfjs-core';

/** Applies drop path with rate `p` to a batch; identity when not training or p = 0. */
export function dropPath(x: tf.Tensor4D, p: number, training: boolean, seed: number): tf.Tensor4D {
  if (!training || p <= 0) return x;
  if (p >= 1) throw new Error(`drop-path rate must be below 1, got ${p}`);
  const keep = 1 - p;
  return tf.tidy(() => {
    const mask = tf.floor(tf.add(tf.randomUniform([x.shape[0], 1, 1, 1], 0, 1, 'float32', seed), keep));
    return tf.mul(x, tf.div(mask, keep));
  });
}

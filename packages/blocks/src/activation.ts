// Activations by name, as PyTorch defines them: SiLU x·σ(x) (swish), ReLU, ReLU6 and exact GELU
// x·Φ(x) = x·(1 + erf(x/√2))/2.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '@effnet/scaling';

/**
 * Applies `activation` to `x`; `null` is the identity.
 *
 * @param x - Any tensor.
 * @param activation - The activation's name.
 */
export function activate<T extends tf.Tensor>(x: T, activation: Activation | null): T {
  switch (activation) {
    case null:
      return x;
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  }
}

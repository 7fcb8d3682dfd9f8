// Activations by name, as PyTorch defines them: SiLU x·σ(x) (swish), ReLU, ReLU6 and exact GELU
// x·Φ(x) = x·(1 + erf(x/√2))/2. SiLU has a closed-form gradient, dy·s·(1 + x·(1 − s)) with
// s = σ(x) kept from the forward pass: one kernel where the backend registers SILU_GRAD_KERNEL
// (@effnet/backend-wasm does, in one SIMD pass), else five elementwise ops, where tfjs-core's
// autodiff through the product and the sigmoid takes six. Inference, which keeps no σ(x) for a
// gradient, takes SiLU's value from one kernel where the backend registers SILU_KERNEL.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import type { Activation } from '@effnet/scaling';
import { backendHas } from './backend-kernels.js';

/**
 * The kernel a backend may register to compute SiLU's gradient in one pass: inputs `dy`, `x` and
 * `s` = σ(x) (float32, one shape), output dy·(s·(1 + x·(1 − s))), rounded as those four ops in
 * that order round it.
 */
export const SILU_GRAD_KERNEL = 'EffnetSiluGrad';

/** SiLU's gradient dy·(s·(1 + x·(1 − s))), s = σ(x): the backend's SILU_GRAD_KERNEL if it has one. */
export function siluGradient(dy: tf.Tensor, x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  if (backendHas(SILU_GRAD_KERNEL)) return tf.engine().runKernel(SILU_GRAD_KERNEL, { dy, x, s }) as tf.Tensor;
  return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s)))));
}

/**
 * The kernel a backend may register to compute SiLU's value in one pass: input `x` (float32),
 * output x·σ(x) within 1e-6 (relative) of the exact value, where σ(x) underflows 0 (as
 * 1/(1 + exp(−x)) in float32), NaN, ±∞ and −0 as x·σ(x) composed of tfjs ops gives them.
 */
export const SILU_KERNEL = 'EffnetSilu';

/**
 * x·σ(x) with no gradient (inference): the backend's SILU_KERNEL if it has one, else sigmoid and
 * product. Training uses {@link activate}, whose SiLU keeps σ(x) for its gradient.
 */
export function siluForward<T extends tf.Tensor>(x: T): T {
  if (x.dtype === 'float32' && backendHas(SILU_KERNEL)) return tf.engine().runKernel(SILU_KERNEL, { x }) as T;
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** x·σ(x), differentiated by {@link siluGradient}. */
function silu<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: Array<tf.Tensor | GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor, GradSaveFunc];
    const s = tf.sigmoid(input);
    save([input, s]);
    return { value: tf.mul(input, s), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => siluGradient(dy, saved[0]!, saved[1]!) };
  });
  return op(x) as T;
}

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
      return silu(x);
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  }
}

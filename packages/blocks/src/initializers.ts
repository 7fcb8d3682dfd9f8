// Initialisers as torchvision's EfficientNet applies them (torchvision/models/efficientnet.py,
// `EfficientNet.__init__`): conv weights kaiming-normal in fan-out mode (PyTorch counts fan-out as
// out_channels · kh · kw, depthwise included), BN γ = 1 and β = 0, linear weights uniform(−1/√out,
// 1/√out), biases 0. Every random initialiser takes a seed, so a network is reproducible.
import * as tf from '@tensorflow/tfjs-core';

/** Fills a new tensor of `shape`; random initialisers use `seed`. */
export type Initializer = (shape: number[], seed: number) => tf.Tensor;

/**
 * Kaiming-normal, fan-out mode, ReLU gain: normal(0, √(2 / fanOut)).
 *
 * @param fanOut - out_channels · kh · kw as PyTorch counts it.
 */
export function kaimingNormalFanOut(fanOut: number): Initializer {
  const std = Math.sqrt(2 / fanOut);
  return (shape, seed) => tf.randomNormal(shape, 0, std, 'float32', seed);
}

/**
 * uniform(−1/√out, 1/√out), torchvision's classifier initialiser.
 *
 * @param outFeatures - Output features of the linear layer.
 */
export function linearUniform(outFeatures: number): Initializer {
  const range = 1 / Math.sqrt(outFeatures);
  return (shape, seed) => tf.randomUniform(shape, -range, range, 'float32', seed);
}

/**
 * A constant fill (BN γ = 1, β = 0, moving variance 1, biases 0).
 *
 * @param value - The fill value.
 */
export function constant(value: number): Initializer {
  return (shape) => tf.fill(shape, value);
}

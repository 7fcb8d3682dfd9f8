// A tiny classifier from plain tfjs ops for the fine-tuning and augmentation tests, named as
// @effnet/models names its variables: conv3x3(8) → bn (γ, β) → ReLU → mean → classifier.
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardOptions, TrainableModel } from '../src/trainable-model.js';

/** The model, the forward options it was last called with, and `dispose`. */
export function tinyClassifier(seed: number): TrainableModel & { dispose(): void; lastOptions?: ForwardOptions } {
  const id = `${seed}.${Math.random()}`;
  const vars: Record<string, tf.Variable> = tf.tidy(() => ({
    'stem.conv.kernel': tf.variable(tf.randomNormal([3, 3, 1, 8], 0, 0.4, 'float32', seed), true, `k.${id}`),
    'stem.bn.gamma': tf.variable(tf.ones([8]), true, `g.${id}`),
    'stem.bn.beta': tf.variable(tf.zeros([8]), true, `b.${id}`),
    'classifier.kernel': tf.variable(tf.randomNormal([8, 10], 0, 0.3, 'float32', seed + 2), true, `ck.${id}`),
    'classifier.bias': tf.variable(tf.zeros([10]), true, `cb.${id}`),
  }));
  const model: TrainableModel & { dispose(): void; lastOptions?: ForwardOptions } = {
    forward: (x, options) => {
      model.lastOptions = options;
      return tf.tidy(() => {
        const h = tf.relu(tf.add(tf.mul(tf.conv2d(x, vars['stem.conv.kernel'] as tf.Tensor4D, 2, 'same'), vars['stem.bn.gamma']!), vars['stem.bn.beta']!));
        return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, vars['classifier.kernel'] as tf.Tensor2D), vars['classifier.bias']!) as tf.Tensor2D;
      });
    },
    trainableVariables: () => Object.values(vars),
    namedVariables: () => vars,
    dispose: () => tf.dispose(Object.values(vars)),
  };
  return model;
}

// A tiny conv net from plain tfjs ops, without batch norm, for the Trainer's and the data-parallel
// tests: conv3x3(8) → ReLU → conv3x3 s2(16) → ReLU → mean → dense. The same seed gives the same
// weights, so a worker replica built from the seed starts equal to the run's model.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableModel } from '../src/trainable-model.js';

/** The net, with `dispose`. */
export function tinyConvNet(seed: number): TrainableModel & { dispose(): void } {
  const vars: Record<string, tf.Variable> = tf.tidy(() => ({
    'conv1.kernel': tf.variable(tf.randomNormal([3, 3, 1, 8], 0, 0.4, 'float32', seed), true, `conv1.${seed}.${Math.random()}`),
    'conv2.kernel': tf.variable(tf.randomNormal([3, 3, 8, 16], 0, 0.2, 'float32', seed + 1), true, `conv2.${seed}.${Math.random()}`),
    'fc.kernel': tf.variable(tf.randomNormal([16, 10], 0, 0.3, 'float32', seed + 2), true, `fc.${seed}.${Math.random()}`),
    'fc.bias': tf.variable(tf.zeros([10]), true, `fcb.${seed}.${Math.random()}`),
  }));
  return {
    forward: (x, { training, dropout = 0, seed: maskSeed = 0 }) =>
      tf.tidy(() => {
        let h = tf.relu(tf.conv2d(x, vars['conv1.kernel'] as tf.Tensor4D, 1, 'same'));
        h = tf.relu(tf.conv2d(h, vars['conv2.kernel'] as tf.Tensor4D, 2, 'same'));
        let pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
        if (training && dropout > 0) pooled = tf.dropout(pooled, dropout, undefined, maskSeed) as tf.Tensor2D;
        return tf.add(tf.matMul(pooled, vars['fc.kernel'] as tf.Tensor2D), vars['fc.bias']!) as tf.Tensor2D;
      }),
    trainableVariables: () => Object.values(vars),
    namedVariables: () => vars,
    dispose: () => tf.dispose(Object.values(vars)),
  };
}

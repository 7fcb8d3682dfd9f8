// A tiny conv net from plain tfjs ops, without batch norm, for the data-parallel check of the
// browser harness: conv3x3(8) → ReLU → conv3x3 s2(16) → ReLU → mean → dense(10). The same seed
// gives the same weights, so a Web Worker replica built from the seed starts equal to the page's.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableModel } from '@effnet/train';

/** The net, with `dispose`. */
export function tinyConvNet(seed: number): TrainableModel & { dispose(): void } {
  const vars: Record<string, tf.Variable> = tf.tidy(() => ({
    'conv1.kernel': tf.variable(tf.randomNormal([3, 3, 1, 8], 0, 0.4, 'float32', seed), true),
    'conv2.kernel': tf.variable(tf.randomNormal([3, 3, 8, 16], 0, 0.2, 'float32', seed + 1), true),
    'fc.kernel': tf.variable(tf.randomNormal([16, 10], 0, 0.3, 'float32', seed + 2), true),
    'fc.bias': tf.variable(tf.zeros([10]), true),
  }));
  return {
    forward: (x) =>
      tf.tidy(() => {
        let h = tf.relu(tf.conv2d(x, vars['conv1.kernel'] as tf.Tensor4D, 1, 'same'));
        h = tf.relu(tf.conv2d(h, vars['conv2.kernel'] as tf.Tensor4D, 2, 'same'));
        return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, vars['fc.kernel'] as tf.Tensor2D), vars['fc.bias']!) as tf.Tensor2D;
      }),
    trainableVariables: () => Object.values(vars),
    namedVariables: () => vars,
    dispose: () => tf.dispose(Object.values(vars)),
  };
}

// A small EfficientNet-like network from plain tfjs ops for backend benchmarks: a 3×3 stride-2
// stem, two MBConv blocks (1×1 expand, 3×3 depthwise, squeeze-excite, 1×1 project, batch-norm
// from batch moments, SiLU), a 3×3 stride-2 conv between them, a 1×1 head, global mean and a
// linear classifier; and one SGD training step (forward, tf.variableGrads, update).
// Follows the MBConv layout of the EfficientNet paper (Tan & Le 2019, section 4).
import * as tf from '@tensorflow/tfjs-core';

/** Every weight's shape, by name. */
export const BENCH_NET_SHAPES: Readonly<Record<string, readonly number[]>> = {
  stem: [3, 3, 3, 16],
  'b1.expand': [1, 1, 16, 64],
  'b1.dw': [3, 3, 64, 1],
  'b1.se.reduce': [1, 1, 64, 4],
  'b1.se.expand': [1, 1, 4, 64],
  'b1.project': [1, 1, 64, 24],
  down: [3, 3, 24, 32],
  'b2.expand': [1, 1, 32, 128],
  'b2.dw': [3, 3, 128, 1],
  'b2.se.reduce': [1, 1, 128, 8],
  'b2.se.expand': [1, 1, 8, 128],
  'b2.project': [1, 1, 128, 32],
  head: [1, 1, 32, 64],
  classifier: [64, 10],
};

/** Creates the network's variables with seeded He-normal-like values on the current backend. */
export function benchNetVariables(seed = 1): Record<string, tf.Variable> {
  const vars: Record<string, tf.Variable> = {};
  for (const [name, shape] of Object.entries(BENCH_NET_SHAPES)) {
    const fanIn = shape.length === 4 ? shape[0]! * shape[1]! * (name.endsWith('.dw') ? 1 : shape[2]!) : shape[0]!;
    vars[name] = tf.tidy(() => tf.variable(tf.randomNormal([...shape], 0, Math.sqrt(2 / fanIn), 'float32', seed++), true));
  }
  return vars;
}

function silu(x: tf.Tensor4D): tf.Tensor4D {
  return tf.mul(x, tf.sigmoid(x));
}

function batchNorm(x: tf.Tensor4D): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-3)));
}

function mbconv(x: tf.Tensor4D, v: Record<string, tf.Tensor>, block: string): tf.Tensor4D {
  const w = (part: string) => v[`${block}.${part}`] as tf.Tensor4D;
  let h = silu(batchNorm(tf.conv2d(x, w('expand'), 1, 'valid')));
  h = silu(batchNorm(tf.depthwiseConv2d(h, w('dw'), 1, 'same')));
  const squeezed = tf.mean(h, [1, 2], true) as tf.Tensor4D;
  const gate = tf.sigmoid(tf.conv2d(silu(tf.conv2d(squeezed, w('se.reduce'), 1, 'valid')), w('se.expand'), 1, 'valid'));
  h = tf.mul(h, gate);
  return batchNorm(tf.conv2d(h, w('project'), 1, 'valid'));
}

/** Logits [N, 10] of NHWC images [N, 64, 64, 3]. */
export function benchNetForward(x: tf.Tensor4D, v: Record<string, tf.Tensor>): tf.Tensor2D {
  let h = silu(batchNorm(tf.conv2d(x, v['stem'] as tf.Tensor4D, 2, 'same')));
  h = mbconv(h, v, 'b1');
  h = silu(batchNorm(tf.conv2d(h, v['down'] as tf.Tensor4D, 2, 'same')));
  h = tf.add(h, mbconv(h, v, 'b2'));
  h = silu(batchNorm(tf.conv2d(h, v['head'] as tf.Tensor4D, 1, 'valid')));
  return tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, v['classifier'] as tf.Tensor2D);
}

/** One SGD step of softmax cross-entropy on one-hot `labels`; returns the loss before the step. */
export function benchNetTrainStep(x: tf.Tensor4D, labels: tf.Tensor2D, vars: Record<string, tf.Variable>, lr = 0.05): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const logits = benchNetForward(x, vars);
      return tf.mean(tf.sum(tf.mul(tf.neg(labels), tf.logSoftmax(logits)), 1)) as tf.Scalar;
    }, Object.values(vars));
    for (const variable of Object.values(vars)) variable.assign(tf.sub(variable, tf.mul(grads[variable.name]!, lr)));
    return value.dataSync()[0]!;
  });
}

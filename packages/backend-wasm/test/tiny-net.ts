// Test helper: a tiny EfficientNet-like network from plain tfjs ops (conv 3×3 stride 2, SiLU,
// batch-norm from moments, depthwise 3×3 with multiplier 2, squeeze-excite, 1×1 projection,
// global mean, linear head) and one SGD training step, for backend parity and leak tests.
import * as tf from '@tensorflow/tfjs-core';

/** Seeded weights of the tiny network, as plain arrays so each backend builds its own. */
export interface TinyWeights {
  readonly [name: string]: { shape: number[]; values: Float32Array };
}

/** Deterministic weights (a simple LCG) of the tiny network for `inC` input channels. */
export function tinyWeights(inC = 3): TinyWeights {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const make = (shape: number[], scale = 0.5) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = next() * scale;
    return { shape, values };
  };
  return {
    stem: make([3, 3, inC, 8]),
    gamma: make([8], 0.2),
    beta: make([8], 0.2),
    dw: make([3, 3, 8, 2]),
    seReduce: make([1, 1, 16, 4]),
    seExpand: make([1, 1, 4, 16]),
    project: make([1, 1, 16, 8]),
    head: make([8, 5]),
  };
}

/** The forward pass: logits [N, 5] for NHWC `x`. */
export function tinyForward(x: tf.Tensor4D, v: Record<string, tf.Tensor>): tf.Tensor2D {
  const silu = (t: tf.Tensor) => tf.mul(t, tf.sigmoid(t));
  let h: tf.Tensor4D = tf.conv2d(x, v['stem'] as tf.Tensor4D, 2, 'same');
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  h = tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-3))), v['gamma']!), v['beta']!) as tf.Tensor4D;
  h = silu(h) as tf.Tensor4D;
  h = tf.depthwiseConv2d(h as tf.Tensor4D, v['dw'] as tf.Tensor4D, 1, 'same');
  h = silu(h) as tf.Tensor4D;
  const squeezed = tf.mean(h, [1, 2], true) as tf.Tensor4D;
  const gate = tf.sigmoid(tf.conv2d(silu(tf.conv2d(squeezed, v['seReduce'] as tf.Tensor4D, 1, 'valid')) as tf.Tensor4D, v['seExpand'] as tf.Tensor4D, 1, 'valid'));
  h = tf.mul(h, gate) as tf.Tensor4D;
  h = tf.conv2d(h as tf.Tensor4D, v['project'] as tf.Tensor4D, 1, 'valid');
  const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
  return tf.matMul(pooled, v['head'] as tf.Tensor2D);
}

/** One SGD step (forward, tf.variableGrads, update) on the current backend; returns nothing. */
export function tinyTrainStep(x: tf.Tensor4D, labels: tf.Tensor2D, vars: Record<string, tf.Variable>, lr = 0.1): void {
  tf.tidy(() => {
    const { grads, value } = tf.variableGrads(() => {
      const logits = tinyForward(x, vars);
      return tf.mean(tf.sum(tf.mul(tf.neg(labels), tf.logSoftmax(logits)), 1)) as tf.Scalar;
    }, Object.values(vars));
    value.dispose();
    for (const v of Object.values(vars)) v.assign(tf.sub(v, tf.mul(grads[v.name]!, lr)));
  });
}

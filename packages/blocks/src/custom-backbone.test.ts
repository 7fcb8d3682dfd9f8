// Acceptance: a custom backbone composed directly from blocks (stem ConvBNAct, blocks from a
// hand-written list of block strings, pooling and a Linear classifier) trains: 30 steps of plain SGD
// (learning rate 0.5) on one fixed batch lower the loss (mean of the last 5 steps below the first 5), the BN
// statistics move, and no tensor leaks (the shared leak check runs after the test).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { customSpec } from '@effnet/scaling';
import { beforeAll, expect, it } from 'vitest';
import { blockFromSpec } from './block-from-spec.js';
import { ConvBNAct } from './conv-bn-act.js';
import { Linear } from './linear.js';
import { applyContext, type ApplyContext } from './module.js';
import { ParamStore, valueOf } from './param-store.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('a 3-stage custom backbone from blocks lowers its loss over 30 SGD steps without leaking tensors', () => {
  const spec = customSpec({ blocks: ['r1_k3_s1_e1_i8_o8_c1', 'r1_k3_s2_e4_i8_o16_c1', 'r2_k3_s2_e4_i16_o24_se0.25'], numClasses: 4, resolution: 16 } as never);
  const options = { padding: spec.padding, batchNorm: spec.batchNorm, activation: spec.activation };
  const store = new ParamStore({ seed: 3 });
  const stem = new ConvBNAct(store.scope('stem'), { inChannels: 3, outChannels: 8, kernel: 3, stride: 2, ...options });
  const blocks = spec.blocks.map((b, i) => blockFromSpec(store.scope(`blocks.${i}`), b, options));
  const head = new Linear(store.scope('classifier'), { inFeatures: 24, outFeatures: 4 });
  const forward = (x: tf.Tensor4D, ctx: ApplyContext) => {
    const features = blocks.reduce((h, block) => block.apply(h, ctx), stem.apply(x, ctx));
    return head.apply(tf.mean(features, [1, 2]) as tf.Tensor2D, ctx);
  };
  const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
  const optimizer = tf.train.sgd(0.5);
  const trainable = store.parameters().map((p) => p.variable!);
  const movingMean = () => Array.from(valueOf(store.get('blocks.2.dw.bn.movingMean')!).dataSync());
  const before = movingMean();
  const losses: number[] = [];
  for (let step = 0; step < 30; step++) {
    const ctx = applyContext({ training: true, seed: step });
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x, ctx)) as tf.Scalar, true, trainable)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(`custom backbone: loss first-5 mean ${mean(losses.slice(0, 5)).toFixed(4)}, last-5 mean ${mean(losses.slice(-5)).toFixed(4)}`);
  expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(movingMean()).not.toEqual(before);
  optimizer.dispose();
  tf.dispose([x, y]);
  store.dispose();
});

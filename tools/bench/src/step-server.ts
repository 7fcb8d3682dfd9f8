// One training step (forward, tf.variableGrads, SGD update) of a preset on wasm for every line read
// on stdin, its milliseconds printed on stdout: the child process that alternate-steps.ts runs in
// each of two checkouts. Prints `ready` after 3 warm-up steps. It builds the same step as
// profile-train-step.ts but imports nothing of this folder but script-option.ts, so that it can be
// copied into a checkout that predates it. Options as profile-train-step.ts:
//   npx tsx --tsconfig tsconfig.base.json tools/bench/src/step-server.ts [--preset efficientnetv2-28-lite] [--batch 64] [--size 28] [--channels 1] [--classes 10]
import '@tensorflow/tfjs';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-wasm';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { option } from './script-option.js';

const BATCH = Number(option('batch', '64'));
const SIZE = Number(option('size', '28'));
const CHANNELS = Number(option('channels', '1'));
const CLASSES = Number(option('classes', '10'));

await useBackend('wasm');
const model = efficientnet(preset(option('preset', 'efficientnetv2-28-lite'), { inChannels: CHANNELS, numClasses: CLASSES }) as ModelSpec, { seed: 1 });
const x = tf.randomUniform([BATCH, SIZE, SIZE, CHANNELS], -1, 1, 'float32', 1) as tf.Tensor4D;
const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from({ length: BATCH }, (_, i) => i % CLASSES), 'int32'), CLASSES), 'float32'));
const optimizer = tf.train.sgd(1e-3);
const step = (): tf.Scalar =>
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true, seed: 1 })) as tf.Scalar, model.trainableVariables());
    optimizer.applyGradients(grads);
    return value;
  });

for (let i = 0; i < 3; i++) step().dispose();
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const started = performance.now();
  const loss = step();
  await loss.data();
  loss.dispose();
  process.stdout.write(`${(performance.now() - started).toFixed(2)}\n`);
}

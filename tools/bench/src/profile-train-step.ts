// Profiles one training step (forward, tf.variableGrads, SGD update) of a preset (default the demo's
// `efficientnetv2-28-lite` for 28×28 grey images, 10 classes; `--preset efficientnet-b0 --channels 3
// --classes 1000 --size 128 --batch 16` for the B0 step of `npm run bench`), on a backend (wasm by default), per kernel:
// tf.profile() of --profiled steps (3) after warm-up steps, kernel times summed by kernel name and
// averaged over those steps, largest first.
// Not a test: run it by hand,
//   npx tsx --tsconfig tsconfig.base.json tools/bench/src/profile-train-step.ts [--preset efficientnetv2-28-lite] [--backend wasm] [--batch 64] [--size 28] [--channels 1] [--classes 10] [--top 25] [--runs 5] [--profiled 3]
// The step itself is also timed without the profiler (median of --runs steps), because the
// profiler reads every kernel's output back and so inflates the step's wall time.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { median } from './bench-report.js';
import { kernelProfile } from './kernel-profile.js';
import { option } from './script-option.js';

const PRESET = option('preset', 'efficientnetv2-28-lite');
const BACKEND = option('backend', 'wasm');
const BATCH = Number(option('batch', '64'));
const SIZE = Number(option('size', '28'));
const CHANNELS = Number(option('channels', '1'));
const CLASSES = Number(option('classes', '10'));
const TOP = Number(option('top', '25'));
const RUNS = Number(option('runs', '5'));
const PROFILED = Number(option('profiled', '3'));

await useBackend(BACKEND);
const model = efficientnet(preset(PRESET, { inChannels: CHANNELS, numClasses: CLASSES }) as ModelSpec, { seed: 1 });
const x = tf.randomUniform([BATCH, SIZE, SIZE, CHANNELS], -1, 1, 'float32', 1) as tf.Tensor4D;
const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: BATCH }, (_, i) => i % CLASSES), 'int32'), CLASSES).toFloat());
const optimizer = tf.train.sgd(1e-3);
const step = (): tf.Scalar =>
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true, seed: 1 })) as tf.Scalar,
      model.trainableVariables(),
    );
    optimizer.applyGradients(grads);
    return value;
  });

for (let i = 0; i < 2; i++) step().dispose();
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const loss = step();
  await loss.data();
  loss.dispose();
  times.push(performance.now() - started);
}

const { byName, total, calls: kernelCalls } = await kernelProfile(step, PROFILED);

console.log(
  `${PRESET}, batch ${BATCH}, ${SIZE} px, backend ${tf.getBackend()}: step median ${median(times).toFixed(1)} ms over ${RUNS} ` +
    `(${times.map((t) => t.toFixed(0)).join(', ')}); profiled (mean of ${PROFILED} steps): ${kernelCalls} kernel calls, ${total.toFixed(1)} ms in kernels`,
);
console.log('kernel                                   ms   share  calls');
for (const [name, { ms, calls }] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, TOP)) {
  console.log(`${name.padEnd(36)} ${ms.toFixed(1).padStart(7)} ${((100 * ms) / total).toFixed(1).padStart(6)}% ${calls.toFixed(0).padStart(6)}`);
}
optimizer.dispose();
tf.dispose([x, y]);
model.dispose();

// Times one training step (forward + tf.variableGrads + SGD update) of the bench network
// (64×64×3 input, batch 8) on wasm with @effnet/backend-wasm's gradient kernels against
// tfjs-backend-cpu, and prints the medians and their ratio. Not a test: run it by hand,
//   cd tools/bench && npx tsx src/train-step-bench.ts [--runs 7]
// @tensorflow/tfjs is imported for its gradient registrations (tfjs-core's ESM gradient file
// cannot be imported by plain Node).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { benchNetForward, benchNetTrainStep, benchNetVariables } from './bench-net.js';
import { median } from './bench-report.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 7;

async function timeBackend(name: 'cpu' | 'wasm'): Promise<{ median: number; runs: number[]; loss: number; firstMs: number }> {
  const adapter = await useBackend(name);
  const vars = benchNetVariables(1);
  const x = tf.randomUniform([8, 64, 64, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10), 'float32')) as tf.Tensor2D;
  const firstMs = await adapter.warmup((input) => benchNetForward(input as tf.Tensor4D, vars), [8, 64, 64, 3]);
  let loss = benchNetTrainStep(x, labels, vars); // untimed: first-call costs
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    loss = benchNetTrainStep(x, labels, vars);
    runs.push(performance.now() - start);
  }
  tf.dispose([x, labels, ...Object.values(vars)]);
  return { median: median(runs), runs, loss, firstMs };
}

const info = { wasm: await timeBackend('wasm'), cpu: await timeBackend('cpu') };
const wasmInfo = await (await useBackend('wasm')).describe();
console.log(`wasm: ${JSON.stringify(wasmInfo)}`);
for (const [name, r] of Object.entries(info)) {
  console.log(`${name}: first forward ${r.firstMs.toFixed(0)} ms; median ${r.median.toFixed(1)} ms over ${RUNS} steps (${r.runs.map((t) => t.toFixed(0)).join(', ')}), last loss ${r.loss.toFixed(4)}`);
}
console.log(`cpu / wasm = ${(info.cpu.median / info.wasm.median).toFixed(2)}× (wasm is that many times faster per training step)`);

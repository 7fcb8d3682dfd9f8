// `npm run bench`: EfficientNet-B0 at 224, batch 1, eval mode, in Node: median latency on
// tfjs-cpu, effnet on wasm, onnxruntime-node (torchvision's network exported to ONNX by
// tools/bench/python/onnx_export.py) and PyTorch CPU (/usr/bin/python3,
// tools/bench/python/torch_bench.py), all with the same seeded torchvision weights
// (fixtures-full/efficientnet_b0.safetensors) and the same thread count, with ratios to
// onnxruntime-node; then one SGD training step of B0 at 128, batch 16, on wasm vs PyTorch.
// Every runtime's logits are checked against PyTorch's before it is timed. Not a test (timings are
// never asserted). Writes tmp/bench/results.json. Options: see bench-report.ts.
//   npm run bench -- [--threads 1] [--runs 20] [--cpu-runs 3] [--train-runs 3] [--skip-train]
import '@tensorflow/tfjs'; // tfjs-core's gradient registrations (its ESM file cannot load in plain Node)
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { EfficientNet, importTorchvision, readSafetensors } from '@effnet/models';
import { preset } from '@effnet/scaling';
import { formatTable, maxAbsDiff, parseBenchArgs, type BenchRow } from './bench-report.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const WEIGHTS = join(ROOT, 'fixtures-full', 'efficientnet_b0.safetensors');
const OUT = join(ROOT, 'tmp', 'bench');
const ONNX = join(OUT, 'efficientnet_b0.onnx');
const PYTHON = '/usr/bin/python3';
const options = parseBenchArgs(process.argv.slice(2));

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function python(script: string, args: string[]): string {
  const threads = String(options.threads);
  const run = spawnSync(PYTHON, [join(import.meta.dirname, '..', 'python', script), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads, PYTHONUNBUFFERED: '1' },
  });
  if (run.status !== 0) fail(`${script} failed (exit ${run.status}):\n${run.stderr}`);
  return run.stdout;
}

async function time(fn: () => Promise<unknown>, runs: number, warmups: number): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

if (!existsSync(WEIGHTS)) fail(`${WEIGHTS} is missing; run \`npm run fixtures\` first (needs Debian's python3-torch and python3-torchvision)`);
mkdirSync(OUT, { recursive: true });
if (!existsSync(ONNX) || statSync(ONNX).mtimeMs < statSync(WEIGHTS).mtimeMs) {
  console.log(python('onnx_export.py', ['--weights', WEIGHTS, '--out', ONNX]).trim());
}

const bytes = new Uint8Array(readFileSync(WEIGHTS));
const fixture = readSafetensors(bytes);
const input = fixture.get('input')!; // [2, 3, 224, 224]
const expected = fixture.get('logits')!.values.subarray(0, 1000); // PyTorch's logits of image 0
const imageNchw = input.values.subarray(0, 3 * 224 * 224);
const rows: BenchRow[] = [];
const checks: Record<string, number> = {};
console.log(`EfficientNet-B0 224, batch 1: ${options.runs} timed runs after ${options.warmups} warm-ups (tfjs-cpu: ${options.cpuRuns} after 1), ` +
  `${options.threads} thread(s); machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, shared with other work`);

// onnxruntime-node
{
  const session = await ort.InferenceSession.create(ONNX, {
    intraOpNumThreads: options.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const feeds = { input: new ort.Tensor('float32', Float32Array.from(imageNchw), [1, 3, 224, 224]) };
  const out = await session.run(feeds);
  checks['onnxruntime-node vs PyTorch'] = maxAbsDiff(out['logits']!.data as Float32Array, expected);
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version as string;
  rows.push({ runtime: `onnxruntime-node ${version} (CPU EP)`, threads: options.threads, times: await time(() => session.run(feeds), options.runs, options.warmups) });
  await session.release();
}

// effnet on tfjs backends: the same weights through importTorchvision
async function tfjsRow(backend: 'wasm' | 'cpu', runs: number, warmups: number): Promise<void> {
  const adapter = await useBackend(backend);
  const model = new EfficientNet(preset('efficientnet-b0', {}));
  importTorchvision(model, bytes, { ignore: [...fixture.keys()].filter((k) => k === 'input' || k === 'logits' || k.startsWith('feature.')) });
  const image = tf.tidy(() => tf.transpose(tf.tensor4d(imageNchw, [1, 3, 224, 224]), [0, 2, 3, 1])) as tf.Tensor4D;
  const predict = async () => {
    const logits = model.predict(image);
    const values = await logits.data();
    logits.dispose();
    return values;
  };
  const info = await adapter.describe();
  checks[`${backend} vs PyTorch`] = maxAbsDiff(await predict(), expected);
  await adapter.warmup(model, [1, 224, 224, 3]);
  const label = backend === 'wasm' ? `effnet on tfjs-backend-wasm ${info.versions['tfjs-backend-wasm']} (SIMD ${info.simd ? 'on' : 'off'})` : `effnet on tfjs-backend-cpu ${info.versions['tfjs-backend-cpu']}`;
  rows.push({ runtime: label, threads: info.threads ?? 1, times: await time(predict, runs, warmups) });
  image.dispose();
  model.dispose();
}
await tfjsRow('wasm', options.runs, options.warmups);
await tfjsRow('cpu', options.cpuRuns, 1);

// PyTorch (and, in the same process, its training step)
const torch = JSON.parse(python('torch_bench.py', [
  '--weights', WEIGHTS, '--threads', String(options.threads), '--runs', String(options.runs), '--warmups', String(options.warmups),
  '--train-runs', String(options.skipTrain ? 1 : options.trainRuns),
])) as { torch: string; threads: number; blas: string[]; matmulGflops: number; fixtureMaxAbsDiff: number; inferenceMs: number[]; trainStepMs: number[] };
checks['PyTorch vs fixture'] = torch.fixtureMaxAbsDiff;
const blas = torch.blas.some((l) => l.includes('openblas')) ? 'OpenBLAS' : 'reference BLAS (slow: select OpenBLAS, see BENCHMARKS.md)';
rows.push({ runtime: `PyTorch ${torch.torch} CPU, ${blas}`, threads: torch.threads, times: torch.inferenceMs });

console.log('\nlogits max |difference| (image 0, 1000 logits):');
for (const [name, diff] of Object.entries(checks)) console.log(`  ${name}: ${diff.toExponential(2)}`);
const worst = Math.max(...Object.values(checks));
if (!(worst < 1e-3)) fail(`a runtime's logits differ from PyTorch's by ${worst}; timings of different networks would be meaningless`);
console.log(`PyTorch BLAS: ${torch.blas.join(', ') || 'none mapped'}; 1024³ matmul ${torch.matmulGflops} GFLOP/s on ${torch.threads} thread(s)\n`);
const table = formatTable(rows, 'onnxruntime-node');
console.log(table);

// Training: one SGD step of B0 at 128, batch 16, train mode (dropout 0.2, stochastic depth 0.2 as torchvision)
let trainTable = '';
if (!options.skipTrain) {
  await useBackend('wasm');
  const model = new EfficientNet(preset('efficientnet-b0', {}), { seed: 1 });
  const images = tf.randomNormal([16, 128, 128, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.range(0, 16, 1, 'int32'), 1000), 'float32')) as tf.Tensor2D;
  let seed = 0;
  const step = async () => {
    const loss = tf.tidy(() => {
      const variables = model.trainableVariables();
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, model.forward(images, { training: true, seed: seed++ })) as tf.Scalar, variables);
      for (const v of variables) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
      return value;
    });
    await loss.data();
    loss.dispose();
  };
  const wasmTimes = await time(step, options.trainRuns, 1);
  tf.dispose([images, labels]);
  model.dispose();
  trainTable = formatTable(
    [
      { runtime: `PyTorch ${torch.torch} CPU, ${blas}`, threads: torch.threads, times: torch.trainStepMs },
      { runtime: 'effnet on tfjs-backend-wasm (effnet gradient kernels)', threads: 1, times: wasmTimes },
    ],
    'PyTorch',
  );
  console.log('\nEfficientNet-B0 128, batch 16, one SGD training step (forward, backward, update), 1 untimed step first:\n');
  console.log(trainTable);
}

const results = { date: new Date().toISOString(), options, checks, rows, inference: table, training: trainTable, pytorch: { blas: torch.blas, matmulGflops: torch.matmulGflops } };
const file = join(OUT, 'results.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
renameSync(`${file}.tmp`, file);
console.log(`\nresults written to ${file}`);

// `npm run bench`: EfficientNet-B0 at 224, batch 1, eval mode, in Node: median latency on
// tfjs-cpu, effnet on wasm, onnxruntime-node (torchvision's network exported to ONNX by
// tools/bench/python/onnx_export.py; and effnet's own export run raw and through
// @effnet/backend-onnx, whose ratio to raw onnxruntime-node is printed) and PyTorch CPU (/usr/bin/python3,
// tools/bench/python/torch_bench.py), all with the same seeded torchvision weights
// (fixtures-full/efficientnet_b0.safetensors) and the same thread count, with ratios to
// onnxruntime-node; then one SGD training step of B0 at 128, batch 16, on wasm vs PyTorch; then
// the browser benchmark (apps/web/bench/browser-bench.ts). Every runtime's logits are checked
// against PyTorch's before it is timed. onnxruntime-node, wasm and PyTorch run interleaved, one
// call each per round in rotating order, so that they share the machine's load alike (tfjs-cpu,
// 1.6 s or more a call, is timed after them). Also the peak tensor memory of one B0 predict on
// wasm (fused and plain) and of one training step. Not a test: timings are never asserted.
// Writes tmp/bench/results.json.
//   npm run bench -- [--threads 1] [--runs 20] [--cpu-runs 3] [--train-runs 3] [--skip-train] [--skip-browser]
//   npm run bench -- --only onnx   (onnxruntime-node and @effnet/backend-onnx only; --help lists all)
import '@tensorflow/tfjs'; // tfjs-core's gradient registrations (its ESM file cannot load in plain Node)
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { EfficientNet, importTorchvision, readSafetensors } from '@effnet/models';
import { preset } from '@effnet/scaling';
import { BENCH_USAGE, formatTable, maxAbsDiff, median, parseBenchArgs, torchRatios, type BenchRow } from './bench-report.js';
import { effnetOnnxContenders, sessionOptions } from './onnx-bench.js';
import { startTorch2, torchRuntime, TorchWorker } from './torch-worker.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const WEIGHTS = join(ROOT, 'fixtures-full', 'efficientnet_b0.safetensors');
const OUT = join(ROOT, 'tmp', 'bench');
const ONNX = join(OUT, 'efficientnet_b0.onnx');
const PYTHON = '/usr/bin/python3';
const SCRIPTS = join(import.meta.dirname, '..', 'python');
const options = parseBenchArgs(process.argv.slice(2));
if (options.help) {
  console.log(BENCH_USAGE);
  process.exit(0);
}
const threads = String(options.threads);
const pythonEnv = { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads, PYTHONUNBUFFERED: '1' };

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** Milliseconds of one call of `fn`. */
async function once(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** `rounds` rounds, each calling every contender once (order rotating); returns each one's times. */
async function interleave(contenders: (() => Promise<number>)[], rounds: number): Promise<number[][]> {
  const times = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (r + k) % contenders.length;
      times[i]!.push(await contenders[i]!());
    }
  }
  return times;
}

if (!existsSync(WEIGHTS)) fail(`${WEIGHTS} is missing; run \`npm run fixtures\` first (needs Debian's python3-torch and python3-torchvision)`);
mkdirSync(OUT, { recursive: true });
if (!existsSync(ONNX) || statSync(ONNX).mtimeMs < statSync(WEIGHTS).mtimeMs) {
  const run = spawnSync(PYTHON, [join(SCRIPTS, 'onnx_export.py'), '--weights', WEIGHTS, '--out', ONNX], { cwd: ROOT, encoding: 'utf8', env: pythonEnv });
  if (run.status !== 0) fail(`onnx_export.py failed (exit ${run.status}):\n${run.stderr}`);
  console.log(run.stdout.trim());
}

const bytes = new Uint8Array(readFileSync(WEIGHTS));
const fixture = readSafetensors(bytes);
const ignore = [...fixture.keys()].filter((k) => k === 'input' || k === 'logits' || k.startsWith('feature.'));
const expected = fixture.get('logits')!.values.subarray(0, 1000); // PyTorch's logits of image 0
const imageNchw = fixture.get('input')!.values.subarray(0, 3 * 224 * 224);
const checks: Record<string, number> = {};
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0]!.toFixed(1)} at the start (shared with other work)`;
const timedHere = options.onlyOnnx ? "onnxruntime-node on torchvision's and effnet's exports and @effnet/backend-onnx interleaved" : `onnxruntime-node, wasm and PyTorch interleaved; tfjs-cpu ${options.cpuRuns} runs after 1 untimed`;
console.log(`EfficientNet-B0 224, batch 1, ${options.threads} thread(s): ${options.warmups} untimed rounds, then ${options.runs} rounds of ${timedHere}. Machine: ${machine}`);

// onnxruntime-node
const session = await ort.InferenceSession.create(ONNX, sessionOptions(options.threads));
const feeds = { input: new ort.Tensor('float32', Float32Array.from(imageNchw), [1, 3, 224, 224]) };
checks['onnxruntime-node vs PyTorch'] = maxAbsDiff((await session.run(feeds))['logits']!.data as Float32Array, expected);
const ortVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version as string;

// effnet on a tfjs backend: the same weights through importTorchvision
async function effnetOn(backend: 'wasm' | 'cpu') {
  const adapter = await useBackend(backend);
  const model = new EfficientNet(preset('efficientnet-b0', {}));
  importTorchvision(model, bytes, { ignore });
  const image = tf.tidy(() => tf.transpose(tf.tensor4d(imageNchw, [1, 3, 224, 224]), [0, 2, 3, 1])) as tf.Tensor4D;
  // predict() runs the fused inference form by default; `{ fused: false }` runs the plain modules.
  const predictWith = (fused: boolean) => async () => {
    const logits = model.predict(image, { fused });
    const values = await logits.data();
    logits.dispose();
    return values;
  };
  const predict = predictWith(true);
  const predictPlain = predictWith(false);
  checks[`effnet ${backend} vs PyTorch`] = maxAbsDiff(await predict(), expected);
  checks[`effnet ${backend} plain modules vs PyTorch`] = maxAbsDiff(await predictPlain(), expected);
  const warmupMs = await adapter.warmup(model, [1, 224, 224, 3]);
  return { adapter, info: await adapter.describe(), model, image, predict, predictPlain, warmupMs };
}

/** Peak tensor memory of one call: all tensors alive, and above those alive before it. */
interface Peak {
  peakMiB: number;
  aboveMiB: number;
}

/** Peak tensor bytes while `run` runs on the active backend: all tensors alive, and above those alive before it. Disposes what it returns. */
async function peakMemory(run: () => tf.TensorContainer | Promise<tf.TensorContainer>): Promise<Peak> {
  const before = tf.memory().numBytes;
  const profile = await tf.profile(run);
  tf.dispose(profile.result);
  return { peakMiB: profile.peakBytes / 2 ** 20, aboveMiB: (profile.peakBytes - before) / 2 ** 20 };
}

// --only onnx: onnxruntime-node on torchvision's file against effnet's exports and the adapter, alone.
if (options.onlyOnnx) {
  const cpu = await effnetOn('cpu');
  const onnx = await effnetOnnxContenders(cpu.model, cpu.image, expected, options.threads, checks);
  const all = [{ runtime: `onnxruntime-node ${ortVersion} (CPU EP) on torchvision's export`, run: () => once(() => session.run(feeds)) }, ...onnx.contenders];
  await interleave(all.map((c) => c.run), options.warmups);
  const times = await interleave(all.map((c) => c.run), options.runs);
  for (const [name, diff] of Object.entries(checks)) console.log(`  ${name}: ${diff.toExponential(2)}`);
  if (!(Math.max(...Object.values(checks)) < 1e-3)) fail("a runtime's logits differ from PyTorch's; timings of different networks would be meaningless");
  console.log(formatTable(all.map((c, i) => ({ runtime: c.runtime, threads: options.threads, times: times[i]! })), 'onnxruntime-node'));
  console.log(`\n@effnet/backend-onnx / raw onnxruntime-node on the same export, medians of the same interleaved rounds: ${(median(times[3]!) / median(times[1]!)).toFixed(3)}×`);
  console.log(`load average at the end: ${loadavg()[0]!.toFixed(1)}`);
  await onnx.release();
  await session.release();
  cpu.model.dispose();
  tf.dispose(cpu.image);
  process.exit(0);
}

// PyTorch, as a worker answering one call at a time
const { worker: torch, info: torchInfo } = await TorchWorker.start(
  PYTHON, join(SCRIPTS, 'torch_bench.py'), ['--weights', WEIGHTS, '--threads', threads, '--runs', '1', '--train-runs', '1'], pythonEnv, ROOT,
);
checks['PyTorch vs fixture'] = torchInfo.fixtureMaxAbsDiff;
// A current PyTorch 2.x beside Debian's 1.13, in the same rounds, where its venv exists.
const torch2 = await startTorch2(ROOT, join(SCRIPTS, 'torch_bench.py'), ['--weights', WEIGHTS, '--threads', threads, '--runs', '1', '--train-runs', '1'], pythonEnv);
if ('skipped' in torch2) console.log(`PyTorch 2.x: skipped (${torch2.skipped})`);
else checks[`PyTorch ${torch2.info.torch} (B0 in torch.nn alone) vs fixture`] = torch2.info.fixtureMaxAbsDiff;
const torch2Calls = 'skipped' in torch2 ? [] : [(command: 'infer' | 'train') => torch2.worker.call(command)];

const wasm = await effnetOn('wasm');
const onnx = await effnetOnnxContenders(wasm.model, wasm.image, expected, options.threads, checks);

const contenders = [
  () => once(() => session.run(feeds)), () => once(wasm.predict), () => torch.call('infer'), ...onnx.contenders.map((c) => c.run), () => once(wasm.predictPlain),
  ...torch2Calls.map((call) => () => call('infer')),
];
await interleave(contenders, options.warmups);
const [ortTimes, wasmTimes, torchTimes, rawTimes, torchLayoutTimes, adapterTimes, plainTimes, torch2Times] = await interleave(contenders, options.runs);
const rows: BenchRow[] = [
  { runtime: `onnxruntime-node ${ortVersion} (CPU EP)`, threads: options.threads, times: ortTimes! },
  { runtime: `effnet on tfjs-backend-wasm ${wasm.info.versions['tfjs-backend-wasm']} (SIMD ${wasm.info.simd ? 'on' : 'off'}), predict(): fused inference form`, threads: wasm.info.threads ?? 1, times: wasmTimes! },
  { runtime: 'effnet on tfjs-backend-wasm, predict(x, { fused: false }): plain modules', threads: wasm.info.threads ?? 1, times: plainTimes! },
  { runtime: torchRuntime(torchInfo), threads: torchInfo.threads, times: torchTimes! },
  ...('skipped' in torch2 ? [] : [{ runtime: torchRuntime(torch2.info), threads: torch2.info.threads, times: torch2Times! }]),
  ...[rawTimes, torchLayoutTimes, adapterTimes].map((times, i) => ({ runtime: onnx.contenders[i]!.runtime, threads: options.threads, times: times! })),
];
const adapterRatio = median(adapterTimes!) / median(rawTimes!);
const memory: { fused: Peak; plain: Peak; training?: Peak } = {
  fused: await peakMemory(() => wasm.model.predict(wasm.image, { fused: true })),
  plain: await peakMemory(() => wasm.model.predict(wasm.image, { fused: false })),
};
await session.release();
await onnx.release();

// Training: one SGD step of B0 at 128, batch 16, train mode (dropout 0.2 and stochastic depth 0.2,
// as torchvision's), wasm and PyTorch alternating.
let trainTable = '';
if (!options.skipTrain) {
  await useBackend('wasm');
  const images = tf.randomNormal([16, 128, 128, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.range(0, 16, 1, 'int32'), 1000), 'float32')) as tf.Tensor2D;
  let seed = 0;
  const step = async () => {
    const loss = tf.tidy(() => {
      const variables = wasm.model.trainableVariables();
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, wasm.model.forward(images, { training: true, seed: seed++ })) as tf.Scalar,
        variables,
      );
      for (const v of variables) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
      return value;
    });
    await loss.data();
    loss.dispose();
  };
  const trainers = [() => torch.call('train'), () => once(step), ...torch2Calls.map((call) => () => call('train'))];
  await interleave(trainers, 1);
  const [torchTrain, wasmTrain, torch2Train] = await interleave(trainers, options.trainRuns);
  memory.training = await peakMemory(step);
  tf.dispose([images, labels]);
  trainTable = formatTable(
    [
      { runtime: torchRuntime(torchInfo), threads: torchInfo.threads, times: torchTrain! },
      { runtime: 'effnet on tfjs-backend-wasm (effnet gradient kernels)', threads: 1, times: wasmTrain! },
      ...('skipped' in torch2 ? [] : [{ runtime: torchRuntime(torch2.info), threads: torch2.info.threads, times: torch2Train! }]),
    ],
    `PyTorch ${torchInfo.torch}`,
  );
  if (!('skipped' in torch2)) trainTable += `\n\n${torchRatios('training step', wasmTrain!, [{ torch: torchInfo.torch, times: torchTrain! }, { torch: torch2.info.torch, times: torch2Train! }])}`;
}
torch.close();
if (!('skipped' in torch2)) torch2.worker.close();
tf.dispose(wasm.image);
wasm.model.dispose();

// tfjs-cpu last: far slower, timed alone
const cpu = await effnetOn('cpu');
const cpuTimes: number[] = [];
for (let i = 0; i < options.cpuRuns; i++) cpuTimes.push(await once(cpu.predict));
rows.push({ runtime: `effnet on tfjs-backend-cpu ${cpu.info.versions['tfjs-backend-cpu']} (timed after the others)`, threads: 1, times: cpuTimes });
tf.dispose(cpu.image);
cpu.model.dispose();

console.log('\nlogits max |difference| (image 0, 1000 logits):');
for (const [name, diff] of Object.entries(checks)) console.log(`  ${name}: ${diff.toExponential(2)}`);
const worst = Math.max(...Object.values(checks));
if (!(worst < 1e-3)) fail(`a runtime's logits differ from PyTorch's by ${worst}; timings of different networks would be meaningless`);
console.log(`PyTorch BLAS: ${torchInfo.blas.join(', ') || 'none mapped'}; 1024³ matmul ${torchInfo.matmulGflops} GFLOP/s on ${torchInfo.threads} thread(s)`);
console.log(`first-call (warm-up) ms: wasm ${wasm.warmupMs.toFixed(0)}, cpu ${cpu.warmupMs.toFixed(0)}\n`);
const table = formatTable(rows, 'onnxruntime-node');
console.log(table);
const mib = (m: Peak, what = 'the call') => `${m.peakMiB.toFixed(1)} MiB (${m.aboveMiB.toFixed(1)} MiB above the tensors alive before ${what})`;
if (!('skipped' in torch2)) console.log(`\n${torchRatios('B0 224 predict', wasmTimes!, [{ torch: torchInfo.torch, times: torchTimes! }, { torch: torch2.info.torch, times: torch2Times! }])}`);
console.log(`\nwasm fused / plain modules, medians of the same interleaved rounds: ${(median(wasmTimes!) / median(plainTimes!)).toFixed(3)}×`);
console.log(`peak tensor memory of one B0 224 predict on wasm: fused ${mib(memory.fused)}; plain ${mib(memory.plain)}`);
console.log(`\n@effnet/backend-onnx / raw onnxruntime-node on the same export, medians of the same interleaved rounds: ${adapterRatio.toFixed(3)}×`);
if (trainTable !== '') {
  console.log(`\nEfficientNet-B0 128, batch 16, one SGD training step (forward, backward, update), 1 untimed round, then ${options.trainRuns} rounds alternating:\n`);
  console.log(trainTable);
  if (memory.training) console.log(`peak tensor memory of one B0 128 batch-16 training step on wasm: ${mib(memory.training, 'the step')}`);
}
console.log(`load average at the end: ${loadavg()[0]!.toFixed(1)}`);

const pytorch2 = 'skipped' in torch2 ? { skipped: torch2.skipped } : torch2.info;
const results = { date: new Date().toISOString(), machine, options, checks, rows, adapterRatio, memory, inference: table, training: trainTable, pytorch: torchInfo, pytorch2 };
const file = join(OUT, 'results.json');
writeFileAtomic.sync(file, JSON.stringify(results, null, 2));
console.log(`\nresults written to ${file}`);

// The browser benchmark runs in its own process (apps/web drives Chromium through Vite).
if (!options.skipBrowser) {
  console.log('\nbrowser benchmark (apps/web/bench/browser-bench.ts):');
  const browser = spawnSync('npx', ['tsx', '--tsconfig', 'tsconfig.base.json', 'apps/web/bench/browser-bench.ts', '--runs', '5'], { cwd: ROOT, stdio: 'inherit' });
  if (browser.status !== 0) fail(`the browser benchmark failed (exit ${browser.status}); run it alone: npx tsx --tsconfig tsconfig.base.json apps/web/bench/browser-bench.ts`);
}

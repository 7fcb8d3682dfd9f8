// `npm run bench:quantization -w @effnet/bench -- <demo run folder>`: what quantised weights cost.
// For float32, float16, uint8 per tensor and uint8 per channel: the size of the saveWeights file,
// the ONNX file and the graph model of EfficientNet-B0 (seeded weights, randomised BN statistics),
// the largest change of B0's logits (loadModel of the quantised file, and onnxruntime-node on the
// quantised ONNX, against effnet's float32 cpu logits, one random image at 224), and the held-out
// top-1 of the demo model (the whole Fashion-MNIST test set, 10,000 images, `effnet eval` on wasm) with its kernels
// quantised and read back, against float32.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { toGraphModel, toOnnx } from '@effnet/export';
import { efficientnet, loadModel, saveWeights, type EfficientNet, type WeightQuantization } from '@effnet/models';

const SETTINGS: [string, WeightQuantization | null][] = [
  ['float32', null],
  ['float16', { dtype: 'float16' }],
  ['uint8 per tensor', { dtype: 'uint8', granularity: 'tensor' }],
  ['uint8 per channel', { dtype: 'uint8', granularity: 'channel' }],
];
const ROOT = join(import.meta.dirname, '..', '..', '..');
const demo = process.argv[2];
if (!demo) throw new Error('usage: quantization-report.ts <demo run folder> (from EFFNET_DEMO_OUT=… npm run demo; it holds model/model.json)');
await tf.setBackend('cpu');

async function artifactsOf(model: EfficientNet, quantize: WeightQuantization | null): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await saveWeights(model, tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { quantize });
  return artifacts!;
}

function randomiseBatchNorms(model: EfficientNet): void {
  let state = 12345;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (const [name, variable] of Object.entries(model.namedVariables())) {
    if (!/\.bn\.(gamma|beta|movingMean|movingVariance)$/.test(name)) continue;
    const positive = /gamma|Variance/.test(name);
    tf.tidy(() => variable.assign(tf.tensor(Float32Array.from({ length: variable.size }, () => (positive ? 0.5 + next() : (next() - 0.5) * 0.4)), variable.shape)));
  }
}

const maxChange = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

// B0: sizes and logit changes.
const b0 = efficientnet('efficientnet-b0', { seed: 7 });
randomiseBatchNorms(b0);
const x = tf.randomUniform([1, 224, 224, 3], -2, 2, 'float32', 3) as tf.Tensor4D;
const reference = b0.predict(x).dataSync();
const rows: string[] = [];
for (const [label, quantize] of SETTINGS) {
  const artifacts = await artifactsOf(b0, quantize);
  const weightsBytes = (artifacts.weightData as ArrayBuffer).byteLength + JSON.stringify({ t: artifacts.modelTopology, s: artifacts.weightSpecs }).length;
  const loaded = await loadModel(tf.io.fromMemory(artifacts));
  const loadedChange = maxChange(loaded.predict(x).dataSync(), reference);
  loaded.dispose();
  const onnx = toOnnx(b0, { quantize });
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  const out = await session.run({ images: new ort.Tensor('float32', x.dataSync() as Float32Array, x.shape) });
  const onnxChange = maxChange(out['logits']!.data as Float32Array, reference);
  await session.release();
  const graphBytes = [...toGraphModel(b0, { quantize }).values()].reduce((n, b) => n + b.byteLength, 0);
  rows.push(`| ${label} | ${(weightsBytes / 2 ** 20).toFixed(2)} | ${(onnx.byteLength / 2 ** 20).toFixed(2)} | ${(graphBytes / 2 ** 20).toFixed(2)} | ${loadedChange.toExponential(2)} | ${onnxChange.toExponential(2)} |`);
}
b0.dispose();
x.dispose();

// The demo model: top-1 on the held-out set with quantised kernels.
const work = mkdtempSync(join(tmpdir(), 'effnet-quant-'));
const demoModel = await loadModel(`file://${join(demo, 'model')}`);
const top1: string[] = [];
for (const [label, quantize] of SETTINGS) {
  const roundTrip = await loadModel(tf.io.fromMemory(await artifactsOf(demoModel, quantize)));
  // A model folder of the CLI: the round-tripped weights (float32) and the demo's model-meta.json.
  const folder = join(work, label.replace(/ /g, '-'), 'model');
  mkdirSync(folder, { recursive: true });
  await saveWeights(roundTrip, `file://${folder}`);
  roundTrip.dispose();
  copyFileSync(join(demo, 'model', 'model-meta.json'), join(folder, 'model-meta.json'));
  const run = spawnSync('npx', ['tsx', '--tsconfig', 'tsconfig.base.json', 'apps/cli/src/main.ts', 'eval', dirname(folder), '--json', '--backend', 'wasm'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`effnet eval failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { top1: number; count: number };
  top1.push(`| ${label} | ${(100 * result.top1).toFixed(2)} % (${result.count} images) |`);
}
demoModel.dispose();
rmSync(work, { recursive: true, force: true });

process.stdout.write(
  [
    '| weights | saveWeights MiB | ONNX MiB | graph model MiB | max logit change, loadModel | max logit change, onnxruntime-node |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `| weights | demo model held-out top-1 (${demo}) |`,
    '|---|---|',
    ...top1,
    '',
  ].join('\n'),
);

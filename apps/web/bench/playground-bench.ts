// The playground's training speed: the static build served on 127.0.0.1, headless Chromium, the
// Train screen's own run (efficientnetv2-28-lite, the bundled Fashion-MNIST subset, batch 16 or --batch,
// 28 px, one stage) on webgl, webgpu, wasm with 2 threads (cross-origin isolated) and wasm with
// 1 thread, each in a new browser context; then the same Trainer setup in Node on wasm (1 thread,
// tfjs-backend-wasm's Node build has no threads). Images/s is the median step after the first 5.
// Not a test; results are printed and written to tmp/bench/playground.json (repository root).
//   npm run build -w @effnet/web && npx tsx --tsconfig tsconfig.base.json apps/web/bench/playground-bench.ts [--steps 40]
//     [--runs webgl,webgpu,wasm:2,wasm:1] [--batch 16] [--no-node]
import * as tf from '@tensorflow/tfjs'; // Node: tfjs's CommonJS build, with every gradient registered
import { mkdirSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-wasm';
import { fashionMnist, FASHION_MNIST_STATS } from '@effnet/data';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { Trainer, standardPrepare } from '@effnet/train';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../test/chromium.js';
import { serveStatic } from '../test/static-server.js';

const stepsArg = process.argv.indexOf('--steps');
const STEPS = stepsArg >= 0 ? Number(process.argv[stepsArg + 1]) : 40;
// `--runs wasm:2,wasm:1,wasm:2,wasm:1` picks (and repeats) the page runs; default: all four once.
const runsArg = process.argv.indexOf('--runs');
const RUNS = (runsArg >= 0 ? process.argv[runsArg + 1]! : 'webgl,webgpu,wasm:2,wasm:1').split(',').map((run) => {
  const [backend, threads] = run.split(':');
  return [backend!, Number(threads ?? 0)] as const;
});
const withNode = !process.argv.includes('--no-node');
const batchArg = process.argv.indexOf('--batch');
const BATCH = batchArg >= 0 ? Number(process.argv[batchArg + 1]) : 16;
const LIMIT_S = 240;
const ROOT = join(import.meta.dirname, '..', '..', '..');
const OUT = join(ROOT, 'tmp', 'bench', 'playground.json');
const missing = chromiumMissing();
if (missing !== undefined) {
  console.error(`playground-bench: ${missing}`);
  process.exit(1);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: { where: string; imagesPerSecond: number; detail: string }[] = [];
const server = await serveStatic(join(ROOT, 'apps', 'web', 'dist'));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
try {
  for (const [backend, threads] of RUNS) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}?backend=${backend}${threads ? `&threads=${threads}` : ''}`);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true', undefined, { timeout: 180_000 });
    if ((await page.inputValue('#backend')) !== backend) {
      rows.push({ where: `Chromium ${backend}`, imagesPerSecond: Number.NaN, detail: `unavailable: ${await page.textContent(`#backend option[value=${backend}]`)}` });
      continue;
    }
    await page.click('#tab-train');
    for (const [id, value] of [['steps', STEPS], ['stages', 1], ['batch', BATCH], ['size', 28]] as const) await page.fill(`#${id}`, String(value));
    const started = Date.now();
    await page.click('#start');
    let ips: number;
    let note = '';
    try {
      await page.waitForFunction(() => document.getElementById('train-status')!.dataset['state'] === 'finished', undefined, { timeout: LIMIT_S * 1000, polling: 1000 });
      ips = Number(await page.getAttribute('#train-status', 'data-images-per-second'));
    } catch {
      // Too slow to finish here: steps done over the time since the click (includes the first, slow steps).
      const done = Number((await page.getAttribute('#train-status', 'data-step')) ?? 0);
      ips = (done * BATCH) / ((Date.now() - started) / 1000);
      note = `; did not finish ${STEPS} steps in ${LIMIT_S} s: ${done} steps, images/s over the whole time; page error: ${await page.textContent('#error')}`;
    }
    const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
    const gpu = await page.evaluate(async () => (await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string; description: string } } | null> } }).gpu?.requestAdapter())?.info);
    rows.push({ where: `Chromium ${backend}${threads ? `, ${threads} thread(s)` : ''}`, imagesPerSecond: ips, detail: `${await page.textContent('#backend-info')}; isolated ${isolated}${backend === 'webgpu' && gpu ? `, adapter ${gpu.vendor} ${gpu.architecture} ${gpu.description}` : ''}${note}` });
    console.log(rows.at(-1));
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}

// Node: the page's run without the page.
if (withNode) await nodeRun();
async function nodeRun(): Promise<void> {
  await useBackend('wasm');
  const train = fashionMnist({ split: 'train', limitPerClass: 200 });
  const model = efficientnet(preset('efficientnetv2-28-lite', { numClasses: 10, inChannels: 1 }) as ModelSpec, { seed: 1 });
  const speeds: number[] = [];
  const trainer = new Trainer({
    model, train, numClasses: 10, batchSize: BATCH, seed: 1, lr: () => 0.05, ema: { decay: 0.99 },
    plan: [{ index: 0, startStep: 0, steps: STEPS, imageSize: 28, dropout: 0.1, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 }],
    optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 5e-5,
    prepare: standardPrepare({ numClasses: 10, ...FASHION_MNIST_STATS, labelSmoothing: 0.1 }), callbacks: { onStep: (info) => void speeds.push(info.imagesPerSecond) },
  });
  await trainer.fit();
  trainer.dispose();
  model.dispose();
  rows.push({ where: 'Node wasm, 1 thread', imagesPerSecond: median(speeds.slice(5)), detail: `tfjs ${tf.version_core}` });
  console.log(rows.at(-1));
}

const table = ['| where | images/s | notes |', '|---|---|---|', ...rows.map((r) => `| ${r.where} | ${Number.isFinite(r.imagesPerSecond) ? r.imagesPerSecond.toFixed(0) : '—'} | ${r.detail} |`)].join('\n');
console.log(`\nefficientnetv2-28-lite, batch ${BATCH}, 28 px, ${STEPS} steps, median step after the first 5:\n\n${table}`);
mkdirSync(join(OUT, '..'), { recursive: true });
writeFileAtomic.sync(OUT, JSON.stringify({ date: new Date().toISOString(), steps: STEPS, rows, table }, null, 2));

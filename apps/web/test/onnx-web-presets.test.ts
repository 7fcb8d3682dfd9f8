// toOnnx's files of full presets in onnxruntime-web in Debian's Chromium (headless,
// playwright-core): b0, b3, b0 with 'same' padding (odd size: asymmetric pads), v2-s, v2-b0 and
// EfficientDet-D0's raw outputs, exported in Node with seeded weights and random batch-norm
// statistics, give the outputs of effnet's cpu backend within 1e-4 on the wasm execution provider.
// @effnet/backend-onnx runs in the same page from its sources: useBackend('onnx'), OnnxModel on
// the wasm execution provider and on webgpu where Chromium gives WebGPU an adapter (Debian's
// Chromium does, on SwiftShader; where it does not, the test prints onnxruntime-web's own error
// and skips). Light on purpose: batch 1, 63-65 pixels (D0: 128), one page, and webgpu (about a
// minute on SwiftShader) only on the small fixture network.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOnnx } from '@effnet/export';
import { EfficientDet, EfficientNet } from '@effnet/models';
import { detectorPreset, preset, type ModelSpec, type PresetOverrides } from '@effnet/scaling';
import { chromiumMissing, startBrowserHarness, type BrowserHarness } from './chromium.js';

const MISSING = chromiumMissing();
if (MISSING !== undefined && !process.env['CI']) console.warn(`onnxruntime-web preset tests skipped: ${MISSING}`);
const ORT_DIST = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
// The files go to the page through Vite's /@fs/ (page.route would push 20-90 MB through the
// DevTools protocol, which takes half a minute per file and crashes the page on v2-s).
const TMP = join(import.meta.dirname, '..', '..', '..', 'tmp');

interface Case {
  readonly label: string;
  readonly size: number;
  readonly build: () => EfficientNet | EfficientDet;
}

const CLASSIFIERS: [string, PresetOverrides, number][] = [
  ['efficientnet-b0', {}, 64],
  ['efficientnet-b3', {}, 64],
  ['efficientnet-b0', { padding: 'same' }, 65],
  ['efficientnetv2-s', {}, 64],
  ['efficientnetv2-b0', {}, 63],
];
const CASES: Case[] = [
  ...CLASSIFIERS.map(([name, overrides, size]): Case => ({
    label: `${name}${overrides.padding ? ` ${overrides.padding}` : ''} at ${size}`,
    size,
    build: () => new EfficientNet(preset(name, { numClasses: 10, ...overrides }) as ModelSpec, { seed: 3 }),
  })),
  { label: 'efficientdet-d0 at 128', size: 128, build: () => new EfficientDet(detectorPreset('efficientdet-d0', { numClasses: 6 }), { seed: 5 }) },
];

/** What Node computed for one case: the ONNX file, the input and effnet's cpu outputs. */
interface Expected {
  readonly file: string;
  readonly input: { data: number[]; dims: number[] };
  readonly outputs: Record<string, Float32Array>;
}

/** Batch-norm statistics and affine values drawn with tfjs's seeded generator: untrained BN would let activations vanish. */
function randomBatchNorms(model: EfficientNet | EfficientDet, seed: number): void {
  for (const [name, variable] of Object.entries(model.namedVariables())) {
    if (!/\.(gamma|beta|movingMean|movingVariance)$/.test(name)) continue;
    const positive = /(gamma|movingVariance)$/.test(name);
    tf.tidy(() => variable.assign(tf.randomUniform(variable.shape, positive ? 0.5 : -0.2, positive ? 1.5 : 0.2, 'float32', seed++)));
  }
}

function expectedOf(c: Case, index: number, folder: string): Expected {
  const model = c.build();
  randomBatchNorms(model, 100 * index + 1);
  const x = tf.randomUniform([1, c.size, c.size, 3], -2, 2, 'float32', 11) as tf.Tensor4D;
  const out = model instanceof EfficientDet ? model.forward(x, { training: false }) : { logits: model.predict(x) };
  const outputs = Object.fromEntries(Object.entries(out).map(([name, t]) => [name, t.dataSync() as Float32Array]));
  const file = join(folder, `${index}.onnx`);
  writeFileSync(file, toOnnx(model, { height: c.size }));
  const expected = { file, input: { data: Array.from(x.dataSync()), dims: x.shape as number[] }, outputs };
  tf.dispose([x, ...Object.values(out)]);
  model.dispose();
  return expected;
}

/** Runs in the page: an ONNX file through onnxruntime-web (loaded from /ort/) on one execution provider. */
const RUN_IN_PAGE = `async ({ url, input, provider, ortBase }) => {
  const ort = await import(ortBase + 'ort.min.mjs');
  ort.env.wasm.wasmPaths = ortBase;
  ort.env.wasm.numThreads = 1;
  try {
    const session = await ort.InferenceSession.create(url, { executionProviders: [provider] });
    const out = await session.run({ images: new ort.Tensor('float32', Float32Array.from(input.data), input.dims) });
    const outputs = {};
    for (const name of session.outputNames) outputs[name] = Array.from(out[name].data);
    await session.release();
    return { version: ort.env.versions?.web ?? 'unknown', outputs };
  } catch (error) {
    return { version: ort.env.versions?.web ?? 'unknown', error: String(error?.message ?? error) };
  }
}`;

/** Runs in the page: @effnet/backend-onnx (its sources, through Vite) on a fixture network, beside the cpu backend. */
const ADAPTER_IN_PAGE = `async ({ backendOnnx, backends, ortBase, provider }) => {
  const { OnnxModel, loadRuntime } = await import(backendOnnx);
  const { useBackend } = await import(backends);
  const { NETWORKS } = await import('/src/specs.ts');
  const { loadNetwork, predictLogits, disposeNetwork } = await import('/src/workloads.ts');
  const runtime = await loadRuntime();
  runtime.env.wasm.wasmPaths = ortBase;
  runtime.env.wasm.numThreads = 1;
  const adapter = await useBackend('onnx');
  const description = await adapter.describe();
  const net = loadNetwork(NETWORKS['b0-narrow'].spec(), new Uint8Array(await (await fetch('/fixtures/b0-narrow.safetensors')).arrayBuffer()));
  try {
    const cpu = Array.from(await predictLogits(net.model, net.input));
    let onnx;
    try {
      onnx = await OnnxModel.create(net.model, { height: net.input.shape[1], executionProviders: [provider] });
    } catch (error) {
      return { description, error: String(error?.message ?? error) };
    }
    const logits = await onnx.predict(net.input);
    const values = Array.from(await logits.data());
    logits.dispose();
    await onnx.dispose();
    return { description, platform: adapter.platform, runtime: runtime.name, cpu, values };
  } finally {
    disposeNetwork(net);
  }
}`;

interface PageResult {
  readonly version: string;
  readonly outputs?: Record<string, number[]>;
  readonly error?: string;
}

interface AdapterResult {
  readonly description: { name: string; versions: Record<string, string> };
  readonly platform?: string;
  readonly runtime?: string;
  readonly cpu?: number[];
  readonly values?: number[];
  readonly error?: string;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  return Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
};

let folder: string;
let harness: BrowserHarness;
let page: Page;
const expected = new Map<string, Expected>();

async function runInPage(label: string, provider: 'wasm'): Promise<PageResult> {
  const want = expected.get(label)!;
  const args = { url: `/@fs${want.file}`, input: want.input, provider, ortBase: `/@fs${ORT_DIST}/` };
  return (await page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify(args)})`)) as PageResult;
}

async function adapterInPage(provider: 'wasm' | 'webgpu'): Promise<AdapterResult> {
  const source = (name: string) => `/@fs${join(import.meta.dirname, '..', '..', '..', 'packages', name, 'src', 'index.ts')}`;
  const args = { backendOnnx: source('backend-onnx'), backends: source('backends'), ortBase: `/@fs${ORT_DIST}/`, provider };
  return (await page.evaluate(`(${ADAPTER_IN_PAGE})(${JSON.stringify(args)})`)) as AdapterResult;
}

/** 'ok' when the page gets a WebGPU adapter, else why not. */
function webgpuAdapter(): Promise<string> {
  return page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'navigator.gpu is undefined';
    return (await gpu.requestAdapter()) ? 'ok' : 'navigator.gpu.requestAdapter() gave null';
  });
}

function expectWithin(result: PageResult, want: Expected, tolerance: number): void {
  expect(result.error).toBeUndefined();
  expect(Object.keys(result.outputs!).sort()).toEqual(Object.keys(want.outputs).sort());
  for (const [name, values] of Object.entries(want.outputs)) {
    // A comparison is only worth something when the outputs are not all near zero.
    expect(Math.max(...Array.from(values, Math.abs))).toBeGreaterThan(1e-2);
    expect(maxAbsDiff(result.outputs![name]!, values)).toBeLessThan(tolerance);
  }
}

describe.runIf(MISSING === undefined)('toOnnx presets in onnxruntime-web (Chromium)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    mkdirSync(TMP, { recursive: true });
    folder = mkdtempSync(join(TMP, 'onnx-web-'));
    CASES.forEach((c, i) => expected.set(c.label, expectedOf(c, i, folder)));
    harness = await startBrowserHarness();
    page = await harness.open();
  }, 300_000);

  afterAll(async () => {
    if (harness?.console.length) console.warn(`Chromium console:\n${harness.console.join('\n')}`);
    await harness?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it.each(CASES.map((c) => c.label))('%s: wasm execution provider within 1e-4 of the cpu backend', async (label) => {
    const result = await runInPage(label, 'wasm');
    expect(result.version).toMatch(/^1\.30\./);
    expectWithin(result, expected.get(label)!, 1e-4);
  });

  it('@effnet/backend-onnx in the browser: useBackend("onnx") on onnxruntime-web, OnnxModel (wasm) within 1e-4 of the cpu backend', async () => {
    const result = await adapterInPage('wasm');
    expect(result.error).toBeUndefined();
    expect(result.platform).toBe('browser');
    expect(result.runtime).toBe('onnxruntime-web');
    expect(result.description.name).toBe('onnx');
    expect(result.description.versions['onnxruntime-web']).toMatch(/^1\.30\./);
    // The fixture holds two images: batch 2 through the free batch dimension, 10 classes each.
    expect(result.values).toHaveLength(20);
    expect(Math.max(...result.cpu!.map(Math.abs))).toBeGreaterThan(1e-2);
    expect(maxAbsDiff(result.values!, result.cpu!)).toBeLessThan(1e-4);
  });

  it('@effnet/backend-onnx in the browser: OnnxModel on the webgpu execution provider where Chromium has a WebGPU adapter', async (context) => {
    const adapter = await webgpuAdapter();
    const result = await adapterInPage('webgpu');
    if (adapter !== 'ok') {
      expect(result.error).toMatch(/webgpu/i);
      console.warn(`backend-onnx webgpu skipped: ${adapter}; OnnxModel.create said: ${result.error}`);
      context.skip();
    }
    expect(result.error).toBeUndefined();
    expect(maxAbsDiff(result.values!, result.cpu!)).toBeLessThan(1e-4);
  });
});

// @effnet/export in Debian's Chromium (headless, playwright-core): a TF.js graph model written in
// Node runs with tf.loadGraphModel on webgl, wasm and cpu with the logits of the effnet model on the
// same backend within 1e-5; the ONNX file runs in onnxruntime-web (wasm execution provider, and
// webgpu where Chromium offers it) with the logits of Node's tfjs-cpu within 1e-4. The files are
// served to the page from memory (page.route), onnxruntime-web from its installed dist folder.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGraphModel, toOnnx } from '@effnet/export';
import { NETWORKS } from '../src/specs.js';
import { disposeNetwork, loadNetwork, predictLogits } from '../src/workloads.js';
import { chromiumMissing, startBrowserHarness, type BrowserHarness } from './chromium.js';
import { fixtureBytes, fullFixturesPresent } from './fixtures.js';

const MISSING = chromiumMissing();
if (MISSING !== undefined && !process.env['CI']) console.warn(`export Chromium tests skipped: ${MISSING}`);
const RUN = MISSING === undefined;
const FULL = RUN && fullFixturesPresent();
// onnxruntime-web's exports map hides package.json; its main entry lies in dist/.
const ORT_DIST = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
const SMALL = ['b0-narrow', 'v2-tiny'];

let harness: BrowserHarness;
let page: Page;
const served = new Map<string, Uint8Array>();
const nodeLogits = new Map<string, Float32Array>();

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Exports network `name` (torchvision weights) in Node as ONNX and as a graph model, served under /exports/<name>/. */
async function exportNetwork(name: string): Promise<void> {
  await tf.setBackend('cpu');
  const net = loadNetwork(NETWORKS[name]!.spec(), fixtureBytes(name)!);
  try {
    const size = { height: net.input.shape[1], width: net.input.shape[2] };
    served.set(`/exports/${name}/model.onnx`, toOnnx(net.model, size));
    for (const [file, bytes] of toGraphModel(net.model, size)) served.set(`/exports/${name}/${file}`, bytes);
    nodeLogits.set(name, await predictLogits(net.model, net.input));
  } finally {
    disposeNetwork(net);
  }
}

describe.runIf(RUN)('exports in Chromium', () => {
  beforeAll(async () => {
    for (const name of FULL ? [...SMALL, 'efficientnet-b0'] : SMALL) await exportNetwork(name);
    harness = await startBrowserHarness();
    page = await harness.open();
    await page.route('**/exports/**', (route) => {
      const bytes = served.get(new URL(route.request().url()).pathname);
      return bytes ? route.fulfill({ status: 200, body: Buffer.from(bytes), contentType: 'application/octet-stream' }) : route.fulfill({ status: 404 });
    });
    await page.route('**/ort/**', (route) => {
      const file = new URL(route.request().url()).pathname.split('/').at(-1)!;
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      try {
        return route.fulfill({ status: 200, body: readFileSync(join(ORT_DIST, file)), contentType: type });
      } catch {
        return route.fulfill({ status: 404 });
      }
    });
  }, 300_000);

  afterAll(async () => {
    await harness?.close();
  });

  it.each(SMALL.flatMap((name) => ['webgl', 'wasm', 'cpu'].map((backend) => [name, backend])))(
    '%s graph model on %s: tf.loadGraphModel gives the logits of the model within 1e-5',
    async (name, backend) => {
      const result = await page.evaluate(([n, b]) => window.effnet.graphModelLogits(n!, b!, `/exports/${n}/model.json`), [name, backend]);
      expect(result.backend.name).toBe(backend);
      expect(result.graph).toHaveLength(result.effnet.length);
      expect(maxAbsDiff(result.graph, result.effnet)).toBeLessThan(1e-5);
    },
    120_000,
  );

  it.runIf(FULL)('efficientnet-b0 at 224 graph model on webgl: within 1e-5 of the model on webgl', async () => {
    const result = await page.evaluate(() => window.effnet.graphModelLogits('efficientnet-b0', 'webgl', '/exports/efficientnet-b0/model.json'));
    expect(maxAbsDiff(result.graph, result.effnet)).toBeLessThan(1e-5);
  }, 300_000);

  it.each(FULL ? [...SMALL, 'efficientnet-b0'] : SMALL)('%s ONNX in onnxruntime-web (wasm): logits within 1e-4 of Node tfjs-cpu', async (name) => {
    const result = await page.evaluate(([n]) => window.effnet.onnxWebLogits(n!, `/exports/${n}/model.onnx`, '/ort/', 'wasm'), [name]);
    expect(result.provider).toBe('wasm');
    expect(result.version).toMatch(/^1\.30\./);
    expect(maxAbsDiff(result.values, nodeLogits.get(name)!)).toBeLessThan(1e-4);
  }, 300_000);
});

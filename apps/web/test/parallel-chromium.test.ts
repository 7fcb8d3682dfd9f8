// Data-parallel training on Web Workers in Debian's Chromium (Vite dev server with COOP/COEP, so
// the pages are cross-origin isolated): @effnet/train's GradientPool over webWorkerTransport, two
// replicas (the page's thread and one worker) give the weights of one replica within 1e-5 after 10
// steps of the tiny conv net without batch norm on 120 Fashion-MNIST images, on cpu and on wasm,
// leaking no tensor; a worker that dies ends the run with one typed line; and the playground trains
// on one replica per core (as many as the browser reports, at most 8) and says so.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnist } from '@effnet/data';
import type { DataParallelInput } from '../src/parallel-harness.js';
import { chromiumMissing, startBrowserHarness, type BrowserHarness } from './chromium.js';

const APP = join(import.meta.dirname, '..');
const MISSING = chromiumMissing();
if (MISSING !== undefined) console.warn(`data-parallel Chromium tests skipped: ${MISSING}`);

let harness: BrowserHarness;
let page: Page;
/** 12 training images per class, as the Node data-parallel test takes. */
const sample = { images: [] as number[], labels: [] as number[] };

function run(input: Omit<DataParallelInput, 'images' | 'labels'>) {
  return page.evaluate((full) => window.effnet.dataParallel(full), { ...input, ...sample });
}

describe.skipIf(MISSING !== undefined)('data-parallel training on Web Workers in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(join(APP, 'public', 'fashion-mnist', 'subset.bin'))) {
      execFileSync('npx', ['tsx', '--tsconfig', '../../tsconfig.base.json', 'scripts/fashion-subset.ts'], { cwd: APP, stdio: 'inherit' });
    }
    const train = fashionMnist({ split: 'train', limitPerClass: 12 });
    for (let i = 0; i < train.size; i++) {
      const example = train.example(i);
      sample.images.push(...example.image);
      sample.labels.push(example.label);
    }
    harness = await startBrowserHarness({ isolated: true });
    page = await harness.open();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it.each(['cpu', 'wasm'])('gives one replica\'s weights within 1e-5 with two (8 + 7 images a step) on %s, leaking nothing', async (backend) => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const result = await run({ backend, replicas: 2, steps: 10 });
    expect(result.error).toBeUndefined();
    console.log(`${backend}: largest |2 replicas - 1 replica| weight gap ${Math.max(...Object.values(result.gaps)).toExponential(2)}, smallest largest move ${Math.min(...Object.values(result.moved)).toExponential(2)}`);
    expect(Object.keys(result.gaps).sort()).toEqual(['conv1.kernel', 'conv2.kernel', 'fc.bias', 'fc.kernel']);
    for (const [name, gap] of Object.entries(result.gaps)) {
      expect(result.moved[name], name).toBeGreaterThan(1e-3);
      expect(gap, name).toBeLessThan(1e-5);
    }
    expect(result.tensors.after).toBe(result.tensors.before);
  });

  it('ends the run with one typed line when a worker dies', async () => {
    const result = await run({ backend: 'cpu', replicas: 2, steps: 10, crashAtStep: 4 });
    expect(result.error?.name).toBe('EffnetTrainError');
    expect(result.error?.message).toMatch(/^workers: worker 1 of 2 failed: [^\n]*replica crashed at step 4$/);
    expect(result.error!.step).toBeGreaterThanOrEqual(3);
    expect(result.error!.step).toBeLessThan(10);
    expect(result.tensors.after).toBe(result.tensors.before);
  });

  it('ends the run with the replica\'s own one-line error when it cannot build its model', async () => {
    const result = await run({ backend: 'cpu', replicas: 2, steps: 10, failToBuild: true });
    expect(result.error).toEqual({ name: 'EffnetTrainError', message: 'workers: worker 1 of 2 failed: this replica was asked to fail while it builds', step: 0 });
    expect(result.tensors.after).toBe(result.tensors.before);
  });

  it('trains in the playground on one replica per core, and says how many', async () => {
    const playground = await harness.open('index.html?backend=wasm');
    const cores = await playground.evaluate(() => navigator.hardwareConcurrency);
    const replicas = Math.min(cores, 8);
    await playground.click('#tab-train');
    await playground.fill('#steps', '12');
    await playground.fill('#stages', '1');
    await playground.click('#start');
    await playground.waitForFunction(() => ['finished', 'error'].includes(document.getElementById('train-status')!.dataset['state'] ?? '') || document.getElementById('error')!.textContent, undefined, { timeout: 120_000, polling: 250 });
    const text = await playground.textContent('#train-status');
    console.log(`playground on ${cores} logical cores: ${text}`);
    expect(await playground.textContent('#error')).toBe('');
    expect(await playground.getAttribute('#train-status', 'data-replicas')).toBe(String(replicas));
    expect(text).toContain('finished at step 12 of 12');
    expect(text).toContain(replicas > 1 ? `on ${replicas} replicas (Web Workers)` : 'on 1 replica (the browser reports');
    expect(Number(await playground.getAttribute('#train-status', 'data-accuracy'))).toBeGreaterThanOrEqual(0);
    await playground.close();
  });
});

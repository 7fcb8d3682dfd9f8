// The playground as a person uses it: the static build (`npm run build -w @effnet/web`) served by a
// plain file server on 127.0.0.1 (no COOP/COEP headers: the page's service worker isolates it),
// driven in Debian's Chromium through playwright-core. On the Train screen it trains
// efficientnetv2-28-lite on the bundled Fashion-MNIST subset for 300 steps on wasm and checks the
// test accuracy is far above chance; saves the model in IndexedDB and downloads its folder, which
// `effnet predict` in Node reads and agrees with; reloads the page, loads the saved model and
// classifies dropped PNGs (top-5 with class names), then loads the downloaded folder through the
// folder input and gets the same answers. Then trains on a person's own images (one folder per
// class, picked with the folder input), paused and resumed, far above chance, and classifies with
// that model; fine-tunes the downloaded 10-class model on those 3 classes (a new classifier, the
// backbone frozen). Screenshots of the screens go to docs/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, fashionMnist, FASHION_MNIST_CLASSES } from '@effnet/data';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from './chromium.js';
import { serveStatic } from './static-server.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DOCS = join(ROOT, 'docs', 'images');
const MISSING = chromiumMissing();
if (MISSING !== undefined && !process.env['CI']) console.warn(`playground tests skipped: ${MISSING}`);

let server: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;
let page: Page;
const work = mkdtempSync(join(tmpdir(), 'effnet-playground-'));
/** Two held-out test images per class (not in the page's subset), as PNG files, and their labels. */
const pictures: { file: string; label: string }[] = [];
/** A person's own images: `my-images/<class>/<n>.png`, 40 Fashion-MNIST training images of three classes. */
const OWN_CLASSES = { trouser: 1, sneaker: 7, bag: 8 } as const;
/** Two more images of each of those classes, in no folder the page trains on. */
const ownHeldOut: { file: string; label: string }[] = [];

/** Waits for `condition` in the page; on timeout, fails with what the page's error line says. */
async function until(condition: () => boolean, timeout = 120_000): Promise<void> {
  try {
    await page.waitForFunction(condition, undefined, { timeout, polling: 500 });
  } catch (error) {
    throw new Error(`${(error as Error).message}; the page says: ${await page.textContent('#error')}`);
  }
}

async function ready(p: Page): Promise<void> {
  await p.waitForFunction(() => document.body.dataset['ready'] === 'true', undefined, { timeout: 180_000 });
}

describe.skipIf(MISSING !== undefined)('the playground, used in Chromium', () => {
  beforeAll(async () => {
    execFileSync('npm', ['run', 'build', '-w', '@effnet/web'], { cwd: ROOT, stdio: 'inherit' });
    server = await serveStatic(join(ROOT, 'apps', 'web', 'dist'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1040, height: 900 } })).newPage();
    page.on('pageerror', (e) => console.warn(`pageerror: ${e.message}`));
    const test = fashionMnist({ split: 'test', limitPerClass: 62 });
    for (let label = 0; label < 10; label++) {
      for (const i of [60, 61]) {
        const file = join(work, `${label}-${i}.png`);
        writeFileSync(file, await encodePng(test.example(label * 62 + i).image, 28, 28, 1));
        pictures.push({ file, label: FASHION_MNIST_CLASSES[label]! });
      }
    }
    const own = fashionMnist({ split: 'train', limitPerClass: 42 });
    for (const [name, label] of Object.entries(OWN_CLASSES)) {
      mkdirSync(join(work, 'my-images', name), { recursive: true });
      for (let i = 0; i < 42; i++) {
        const file = i < 40 ? join(work, 'my-images', name, `${String(i).padStart(2, '0')}.png`) : join(work, `${name}-${i}.png`);
        writeFileSync(file, await encodePng(own.example(label * 42 + i).image, 28, 28, 1));
        if (i >= 40) ownHeldOut.push({ file, label: name });
      }
    }
    mkdirSync(DOCS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('is cross-origin isolated on a plain static server, so wasm runs the threads asked for', async () => {
    await page.goto(`${server.url}?backend=wasm`);
    await ready(page);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    // No count asked: tfjs's own choice, half the logical cores (1 on a 2-core machine).
    const auto = await page.evaluate(() => Math.min(8, Math.max(1, Math.floor(navigator.hardwareConcurrency / 2))));
    expect(await page.getAttribute('#backend-info', 'data-threads')).toBe(String(auto));
    // the threaded build's memory is shared: effnet's SIMD kernels run on it too
    expect(await page.getAttribute('#backend-info', 'data-simd-kernels')).toBe('true');
    const threaded = await page.context().newPage();
    await threaded.goto(`${server.url}?backend=wasm&threads=2`);
    await ready(threaded);
    expect(await threaded.getAttribute('#backend-info', 'data-threads')).toBe('2'); // tfjs alone caps it at the half of the cores
    expect(await threaded.getAttribute('#backend-info', 'data-simd-kernels')).toBe('true');
    await threaded.close();
  });

  it('trains efficientnetv2-28-lite on the Fashion-MNIST subset far above chance, then saves and downloads it', async () => {
    await page.click('#tab-train');
    await page.fill('#steps', '300');
    await page.click('#start');
    await until(() => document.getElementById('train-status')!.dataset['state'] === 'finished', 900_000);
    const accuracy = Number(await page.getAttribute('#train-status', 'data-accuracy'));
    console.log(`playground: ${await page.textContent('#train-status')}`);
    expect(accuracy).toBeGreaterThan(0.5); // chance is 0.1
    await page.screenshot({ path: join(DOCS, 'playground-train.png') });
    await page.fill('#save-name', 'fashion-e2e');
    await page.click('#save');
    await until(() => document.getElementById('train-status')!.dataset['state'] === 'saved');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const zip = join(work, 'model.zip');
    await download.saveAs(zip);
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(readFileSync(zip))))) {
      if (name.endsWith('/')) continue; // a folder entry
      mkdirSync(dirname(join(work, name)), { recursive: true });
      writeFileSync(join(work, name), bytes);
    }
    expect(JSON.parse(readFileSync(join(work, 'fashion-e2e', 'model-meta.json'), 'utf8')).classNames).toEqual([...FASHION_MNIST_CLASSES]);
  });

  it('after a reload, classifies dropped images with the model saved in IndexedDB, as effnet predict does in Node', async () => {
    await page.reload();
    await ready(page);
    await page.selectOption('#saved-models', 'fashion-e2e');
    await page.click('#load-saved');
    await until(() => document.getElementById('model-info')!.dataset['loaded'] !== undefined);
    await page.setInputFiles('#images', pictures.map((p) => p.file));
    await until(() => document.getElementById('predictions')!.dataset['top1'] !== undefined);
    const inPage = (await page.getAttribute('#predictions', 'data-top1'))!.split('|');
    const correct = inPage.filter((name, i) => name === pictures[i]!.label).length;
    console.log(`playground: ${correct}/${pictures.length} held-out images right; ${await page.textContent('#timings')}`);
    expect(correct).toBeGreaterThanOrEqual(10); // chance: 2 of 20
    expect(await page.locator('#predictions tr').nth(1).locator('td').count()).toBe(7); // image, file, top-5
    await page.screenshot({ path: join(DOCS, 'playground-classify.png') });
    const node = JSON.parse(execFileSync('npx', ['tsx', '--tsconfig', 'tsconfig.base.json', 'apps/cli/src/main.ts', 'predict', '--model', join(work, 'fashion-e2e'), '--backend', 'cpu', '--json', ...pictures.map((p) => p.file)], { cwd: ROOT, encoding: 'utf8' })) as { predictions: { name: string }[] }[];
    expect(node.map((r) => r.predictions[0]!.name)).toEqual(inPage);
  });

  it('loads the downloaded model folder through the folder input and gives the same answers', async () => {
    await page.setInputFiles('#model-folder', join(work, 'fashion-e2e'));
    await until(() => document.getElementById('model-info')!.textContent!.includes('a picked folder'));
    const before = await page.getAttribute('#predictions', 'data-top1');
    await page.evaluate(() => delete document.getElementById('predictions')!.dataset['top1']);
    await page.setInputFiles('#images', []);
    await page.setInputFiles('#images', pictures.map((p) => p.file));
    await until(() => document.getElementById('predictions')!.dataset['top1'] !== undefined);
    expect(await page.getAttribute('#predictions', 'data-top1')).toBe(before);
  });

  it("trains on the person's own images, one folder per class, paused and resumed where it stopped", async () => {
    await page.click('#tab-train');
    await page.check('input[name=data][value=folder]');
    await page.setInputFiles('#data-folder', join(work, 'my-images'));
    await page.selectOption('#channels', '1');
    await page.selectOption('#preset', 'efficientnetv2-28-lite');
    await page.uncheck('#init');
    await page.fill('#steps', '120');
    await page.evaluate(() => ['step', 'accuracy'].forEach((key) => delete document.getElementById('train-status')!.dataset[key])); // the first run's
    await page.click('#start');
    await until(() => Number(document.getElementById('train-status')!.dataset['step'] ?? 0) >= 30);
    await page.click('#pause');
    await until(() => document.getElementById('train-status')!.dataset['state'] === 'paused');
    const pausedAt = Number(await page.getAttribute('#train-status', 'data-step'));
    expect(pausedAt).toBeGreaterThanOrEqual(30);
    expect(pausedAt).toBeLessThan(120);
    expect(await page.textContent('#train-status')).toContain(`paused at step ${pausedAt} of 120`);
    // Pausing wrote a checkpoint of that step to IndexedDB.
    const saved = await page.evaluate(() => new Promise<string[]>((resolve, reject) => {
      const open = indexedDB.open('effnet-playground-checkpoints');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const request = open.result.transaction('checkpoints').objectStore('checkpoints').getAllKeys();
        request.onsuccess = () => resolve(request.result.map(String));
      };
    }));
    expect(saved.some((key) => key.endsWith(`/step-${pausedAt}`))).toBe(true);
    await page.click('#resume');
    await until(() => document.getElementById('train-status')!.dataset['state'] === 'finished', 600_000);
    console.log(`playground, own images: paused at step ${pausedAt}; ${await page.textContent('#train-status')}`);
    // One logged step per step: the run went on from the pause, it did not start again.
    expect(await page.getAttribute('#train-status', 'data-logged-steps')).toBe('120');
    expect(await page.textContent('#train-status')).toContain('finished at step 120 of 120');
    const accuracy = Number(await page.getAttribute('#train-status', 'data-accuracy'));
    expect(accuracy).toBeGreaterThan(0.7); // 24 held-out images of 3 classes: chance is 1/3
    await page.screenshot({ path: join(DOCS, 'playground-train-folders.png') });
    // The trained model names the folders; it classifies held-out pictures of them.
    await page.click('#tab-classify');
    await page.click('#use-trained');
    await page.evaluate(() => delete document.getElementById('predictions')!.dataset['top1']);
    await page.setInputFiles('#images', []);
    await page.setInputFiles('#images', ownHeldOut.map((p) => p.file));
    await until(() => document.getElementById('predictions')!.dataset['top1'] !== undefined);
    const top1 = (await page.getAttribute('#predictions', 'data-top1'))!.split('|');
    expect(top1.filter((name, i) => name === ownHeldOut[i]!.label).length).toBeGreaterThanOrEqual(4); // of 6
  });

  it('fine-tunes the downloaded 10-class model on the own images: a new 3-class classifier, the backbone frozen', async () => {
    await page.setInputFiles('#model-folder', join(work, 'fashion-e2e'));
    await until(() => document.getElementById('model-info')!.textContent!.includes('a picked folder'));
    await page.click('#tab-train');
    await page.check('#init');
    await page.selectOption('#freeze', 'backbone');
    await page.fill('#steps', '60');
    await page.click('#start');
    await until(() => document.getElementById('train-status')!.dataset['state'] === 'running');
    await until(() => document.getElementById('train-status')!.dataset['state'] === 'finished', 600_000);
    const line = (await page.textContent('#train-status'))!;
    console.log(`playground, fine-tuned: ${line}`);
    expect(await page.getAttribute('#train-status', 'data-origin')).toBe('new classifier');
    expect(line).toContain('finished (the loaded model with a new classifier) at step 60 of 60');
    expect(Number(await page.getAttribute('#train-status', 'data-accuracy'))).toBeGreaterThan(0.7); // chance 1/3
    await page.click('#tab-classify');
    await page.click('#use-trained');
    await until(() => document.getElementById('model-info')!.textContent!.includes('training on this page'));
    expect(await page.textContent('#model-info')).toMatch(/with a new classifier .*backbone frozen/);
    await page.evaluate(() => delete document.getElementById('predictions')!.dataset['top1']);
    await page.setInputFiles('#images', []);
    await page.setInputFiles('#images', ownHeldOut.map((p) => p.file));
    await until(() => document.getElementById('predictions')!.dataset['top1'] !== undefined);
    const top1 = (await page.getAttribute('#predictions', 'data-top1'))!.split('|');
    expect(top1.filter((name, i) => name === ownHeldOut[i]!.label).length).toBeGreaterThanOrEqual(4); // of 6, names of the folders
  });

  it('says what is wrong with a folder of one class, and with a model of other channels to start from', async () => {
    mkdirSync(join(work, 'one-class', 'trouser'), { recursive: true });
    for (const i of [0, 1, 2]) writeFileSync(join(work, 'one-class', 'trouser', `${i}.png`), readFileSync(join(work, 'my-images', 'trouser', `0${i}.png`)));
    await page.click('#tab-train');
    await page.uncheck('#init');
    await page.setInputFiles('#data-folder', join(work, 'one-class'));
    await page.click('#start');
    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '', undefined, { timeout: 60_000 });
    expect(await page.textContent('#error')).toBe('folder: found 1 class folder(s) with images; pick a folder holding one sub-folder per class (at least two)');
    await page.setInputFiles('#data-folder', join(work, 'my-images'));
    await page.check('#init'); // the grey model trained here is loaded on Classify
    await page.selectOption('#channels', '3');
    await page.click('#start');
    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '', undefined, { timeout: 60_000 });
    expect(await page.textContent('#error')).toMatch(/^start from: the loaded model takes 1 channel\(s\), the data has 3/);
    expect(await page.getAttribute('#train-status', 'data-state')).toBe('finished'); // the last run's, untouched
    await page.click('#tab-classify');
  });

  it('says what is wrong with a folder that holds no model', async () => {
    mkdirSync(join(work, 'not-a-model'), { recursive: true });
    writeFileSync(join(work, 'not-a-model', 'notes.txt'), 'hello');
    await page.setInputFiles('#model-folder', join(work, 'not-a-model'));
    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '', undefined, { timeout: 60_000 });
    expect(await page.textContent('#error')).toMatch(/holds no model\.json/);
  });
});

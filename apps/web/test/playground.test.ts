// The playground as a person uses it: the static build (`npm run build -w @effnet/web`) served by a
// plain file server on 127.0.0.1 (no COOP/COEP headers: the page's service worker isolates it),
// driven in Debian's Chromium through playwright-core. On the Train screen it trains
// efficientnetv2-28-lite on the bundled Fashion-MNIST subset for 300 steps on wasm and checks the
// test accuracy is far above chance; saves the model in IndexedDB and downloads its folder, which
// `effnet predict` in Node reads and agrees with; reloads the page, loads the saved model and
// classifies dropped PNGs (top-5 with class names), then loads the downloaded folder through the
// folder input and gets the same answers. Screenshots of both screens go to docs/.
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
    mkdirSync(DOCS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('is cross-origin isolated on a plain static server, so wasm runs threads', async () => {
    await page.goto(`${server.url}?backend=wasm`);
    await ready(page);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
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

  it('says what is wrong with a folder that holds no model', async () => {
    mkdirSync(join(work, 'not-a-model'), { recursive: true });
    writeFileSync(join(work, 'not-a-model', 'notes.txt'), 'hello');
    await page.setInputFiles('#model-folder', join(work, 'not-a-model'));
    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '', undefined, { timeout: 60_000 });
    expect(await page.textContent('#error')).toMatch(/holds no model\.json/);
  });
});

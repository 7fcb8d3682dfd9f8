// Test and benchmark helper: serves apps/web with Vite's dev server (or, with `production`, builds
// it with `vite build` and serves the bundle with `vite preview`) on a free port and drives
// Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) headless through playwright-core, with
// WebGL on SwiftShader and WebGPU asked for with --enable-unsafe-webgpu. `chromiumMissing()` says
// why the browser tests cannot run here (no binary), so that they skip with that reason. With
// `isolated`, the dev server sends COOP/COEP headers, so that pages are cross-origin isolated.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, createServer, preview } from 'vite';

const APP = join(import.meta.dirname, '..');

/** The Chromium binary the tests use. */
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

/** Why Chromium cannot be launched here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} does not exist (install Debian's chromium: apt-get install chromium, or set $CHROMIUM)`;
}

/** Flags: headless GPU work on SwiftShader (software WebGL/Vulkan), WebGPU enabled where it can be. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--ignore-gpu-blocklist',
];

/** The headers that make a page cross-origin isolated (SharedArrayBuffer). */
const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** A served app and a browser; `open()` gives a fresh page with the harness ready. */
export interface BrowserHarness {
  /** The app's URL. */
  readonly url: string;
  /** A new page (fresh tfjs state) of `path` (default: harness.html, with `window.effnet`), once it is ready. */
  open(path?: string): Promise<Page>;
  /** Lines the pages wrote to the console (errors and warnings). */
  readonly console: string[];
  /** URLs of the .wasm files the pages fetched. */
  readonly wasmRequests: string[];
  /** Closes the browser and the server. */
  close(): Promise<void>;
}

/** Starts Chromium and the Vite dev server of apps/web, or with `production` its built bundle. */
export async function startBrowserHarness(options: { production?: boolean; isolated?: boolean } = {}): Promise<BrowserHarness> {
  const configFile = join(APP, 'vite.config.ts');
  let server: { close(): Promise<void> };
  let url: string;
  if (options.production) {
    await build({ configFile, root: APP, logLevel: 'error' });
    const previewServer = await preview({ configFile, root: APP, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    server = previewServer;
    url = previewServer.resolvedUrls!.local[0]!;
  } else {
    const headers = options.isolated ? ISOLATION_HEADERS : {};
    const dev = await createServer({ configFile, root: APP, server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false, headers }, logLevel: 'error' });
    await dev.listen();
    server = dev;
    url = dev.resolvedUrls!.local[0]!;
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  } catch (error) {
    await server.close();
    throw error;
  }
  const lines: string[] = [];
  const wasmRequests: string[] = [];
  return {
    url,
    console: lines,
    wasmRequests,
    async open(path = 'harness.html') {
      const page = await browser.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') lines.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
      page.on('response', (r) => {
        if (new URL(r.url()).pathname.endsWith('.wasm')) wasmRequests.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(new URL(path, url).href);
      await page.waitForFunction(() => document.body.dataset['ready'] === 'true', undefined, { timeout: 120_000 });
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

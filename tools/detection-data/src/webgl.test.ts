// The detector on WebGL (issue 8, acceptance 4): browser/detector-check.ts is bundled with esbuild
// (@effnet/* from their sources) and run in Debian's headless Chromium with WebGL on SwiftShader;
// training-mode pyramid and outputs (O(1) values) must match cpu's within 1e-3, detect() must return boxes, three training steps must lower
// the loss, and no tensor may be left behind. Without Chromium the test prints why and is skipped.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DetectorCheckResult } from '../browser/detector-check.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} does not exist (apt-get install chromium, or set $CHROMIUM)`;
if (missing) console.log(`skipping the WebGL detector check: ${missing}`);

describe('EfficientDet on webgl in Chromium', () => {
  it.skipIf(missing !== undefined)('outputs equal cpu within 1e-3, detect() works, training lowers the loss, nothing leaks', async () => {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, '..', 'browser', 'detector-check.ts')],
      bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022',
      tsconfig: join(ROOT, 'tsconfig.base.json'), external: ['node:*'], logLevel: 'error',
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: 'module' });
      await page.waitForFunction(() => 'detectorCheck' in globalThis, undefined, { timeout: 60_000 });
      const result = (await page.evaluate(async () => (globalThis as unknown as { detectorCheck: (b: string) => Promise<unknown> }).detectorCheck('webgl'))) as DetectorCheckResult;
      console.log(`webgl detector check: max |Δ| vs cpu ${result.maxDiff.toExponential(2)} on values of mean |x| ${result.meanAbs.toFixed(3)}, detections ${result.detections.join('/')}, losses ${result.losses.map((l) => l.toFixed(3)).join(' → ')}, leaked ${result.leaked}`);
      expect(errors).toEqual([]);
      expect(result.backend).toBe('webgl');
      expect(result.meanAbs).toBeGreaterThan(0.1);
      expect(result.maxDiff).toBeLessThan(1e-3);
      expect(result.detections.every((n) => n > 0 && n <= 100)).toBe(true);
      expect(result.losses[2]!).toBeLessThan(result.losses[0]!);
      expect(result.leaked).toBe(0);
    } finally {
      await browser.close();
    }
  }, 240_000);
});

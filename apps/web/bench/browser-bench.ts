// The browser benchmark: EfficientNet-B0 at 224, batch 1, in headless Chromium (Debian's, WebGL
// on SwiftShader), on webgl and wasm, with and without `adapter.warmup(model, shape)`: the warm-up
// call, the first predict call and the median of the following calls. Each case runs in a new
// browser, so that no compiled shader or wasm state carries over. Not a test; timings are printed
// and written to tmp/bench/browser.json (repository root).
//   npx tsx apps/web/bench/browser-bench.ts [--runs 5] [--backends webgl,wasm]
import { mkdirSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';
import { chromiumMissing, startBrowserHarness } from '../test/chromium.js';
import { fixturePath } from '../vite.config.js';
import type { LatencyResult } from '../src/harness.js';

const arg = (flag: string, fallback: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const RUNS = Number(arg('--runs', '5'));
const BACKENDS = arg('--backends', 'webgl,wasm').split(',');
const OUT = join(import.meta.dirname, '..', '..', '..', 'tmp', 'bench', 'browser.json');

const missing = chromiumMissing();
if (missing !== undefined) {
  console.error(`browser-bench: ${missing}`);
  process.exit(1);
}
if (fixturePath('efficientnet_b0.safetensors') === undefined) {
  console.error('browser-bench: fixtures-full/efficientnet_b0.safetensors is missing; run `npm run fixtures` first');
  process.exit(1);
}

const rows: (LatencyResult & { warm: boolean })[] = [];
for (const backend of BACKENDS) {
  for (const warm of [false, true]) {
    const harness = await startBrowserHarness();
    try {
      const page = await harness.open();
      const result = await page.evaluate(([b, w, r]) => window.effnet.latency('efficientnet-b0', b, w, r), [backend, warm, RUNS] as const);
      rows.push({ ...result, warm });
      console.log(`${backend} ${warm ? 'with' : 'without'} warm-up: ${JSON.stringify(result)}`);
    } finally {
      await harness.close();
    }
  }
}

const fmt = (ms: number | null) => (ms === null ? '—' : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const lines = [
  '| backend | warm-up | warm-up call ms | first predict ms | steady median ms (runs) |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.backend.name}${r.backend.gpu ? ` (${/SwiftShader/i.test(r.backend.gpu) ? 'SwiftShader, software' : r.backend.gpu})` : r.backend.simd ? ` (SIMD, ${r.backend.threads ?? 1} thread)` : ''} | ${r.warm ? 'yes' : 'no'} | ${fmt(r.warmupMs)} | ${fmt(r.firstCallMs)} | ${fmt(r.steadyMedianMs)} (${r.runs}) |`),
];
console.log(`\nEfficientNet-B0 224, batch 1, in Chromium (headless), median of ${RUNS} calls after the first:\n`);
console.log(lines.join('\n'));
mkdirSync(join(OUT, '..'), { recursive: true });
writeFileAtomic.sync(OUT, JSON.stringify({ date: new Date().toISOString(), rows, table: lines.join('\n') }, null, 2));
console.log(`\nresults written to ${OUT}`);

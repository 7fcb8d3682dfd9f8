// Where B0's cold first predict on webgl goes, side by side: each variant (fused form or modules,
// WEBGL_USE_SHAPES_UNIFORMS, asynchronous weight reads first) on a fresh browser, so that no
// compiled shader carries over. Not a test; timings are printed and written to
// tmp/bench/cold-start.json (repository root).
//   npx tsx --tsconfig tsconfig.base.json apps/web/bench/cold-start-bench.ts [--runs 3] [--variants plain,fused,...]
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { chromiumMissing, startBrowserHarness } from '../test/chromium.js';
import type { ColdStartOptions, ColdStartResult } from '../src/cold-start-harness.js';

const VARIANTS: Record<string, ColdStartOptions> = {
  plain: { fused: false, shapesUniforms: false, prepare: false },
  'plain+uniforms': { fused: false, shapesUniforms: true, prepare: false },
  'plain+gpu-weights': { fused: false, shapesUniforms: false, prepare: false, weightsOnGpu: true },
  'fused+gpu-weights': { fused: true, shapesUniforms: false, prepare: false, weightsOnGpu: true },
  fused: { fused: true, shapesUniforms: false, prepare: false },
  'fused+prepare': { fused: true, shapesUniforms: false, prepare: true },
  'fused+uniforms': { fused: true, shapesUniforms: true, prepare: false },
  'fused+uniforms+prepare': { fused: true, shapesUniforms: true, prepare: true },
};
const arg = (flag: string, fallback: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const RUNS = Number(arg('--runs', '3'));
const names = arg('--variants', Object.keys(VARIANTS).join(',')).split(',');
const unknown = names.filter((n) => !(n in VARIANTS));
if (unknown.length > 0 || !(RUNS >= 1)) {
  console.error(`cold-start-bench: unknown variant(s) ${unknown.join(', ')} or bad --runs; known: ${Object.keys(VARIANTS).join(', ')}`);
  process.exit(1);
}
const missing = chromiumMissing();
if (missing !== undefined) {
  console.error(`cold-start-bench: ${missing}`);
  process.exit(1);
}

console.log(`load average at the start: ${loadavg()[0]!.toFixed(1)}`);
const rows: (ColdStartResult & { variant: string })[] = [];
for (const variant of names) {
  const harness = await startBrowserHarness();
  try {
    const page = await harness.open();
    const result = await page.evaluate(([o, r]) => window.effnet.coldStart('efficientnet-b0', 'webgl', o, r), [VARIANTS[variant]!, RUNS] as const);
    rows.push({ ...result, variant });
    console.log(`${variant}: ${JSON.stringify(result)}`);
  } finally {
    await harness.close();
  }
}
const fmt = (ms: number | null) => (ms === null ? '—' : ms.toFixed(0));
const lines = [
  '| variant | load ms | prepare ms | first predict ms (of which dispatch) | steady median ms | first / steady | programs: loaded, prepared, first, steady |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.variant} | ${fmt(r.loadMs)} | ${fmt(r.prepareMs)} | ${fmt(r.firstMs)} (${fmt(r.firstDispatchMs)}) | ${fmt(r.steadyMs)} | ${(r.firstMs / r.steadyMs).toFixed(2)} | ${r.programs ? `${r.programs.loaded}, ${r.programs.prepared}, ${r.programs.first}, ${r.programs.steady}` : '—'} |`),
];
console.log(`\nEfficientNet-B0 224, batch 1, webgl in Chromium (headless, ${rows[0]?.backend.gpu ?? '?'}), parallel compile ${rows[0]?.parallelCompile}, median of ${RUNS} after the first:\n`);
console.log(lines.join('\n'));
console.log(`load average at the end: ${loadavg()[0]!.toFixed(1)}`);
const out = join(import.meta.dirname, '..', '..', '..', 'tmp', 'bench', 'cold-start.json');
mkdirSync(join(out, '..'), { recursive: true });
writeFileAtomic.sync(out, JSON.stringify({ date: new Date().toISOString(), rows, table: lines.join('\n') }, null, 2));
console.log(`results written to ${out}`);

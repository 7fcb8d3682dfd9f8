// predict()'s fused inference form in Debian's Chromium (headless, playwright-core): on webgl
// (SwiftShader), webgpu (where Chromium offers it) and wasm, the fused logits of the two tiny
// torchvision-seeded networks equal the plain modules' within 1e-5 (relative to the largest logit),
// a weight change reaches the fused path (its kept constants are rebuilt), and no tensor is left
// after dispose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, startBrowserHarness, type BrowserHarness } from './chromium.js';

const MISSING = chromiumMissing();
if (MISSING !== undefined && !process.env['CI']) console.warn(`fused-predict Chromium tests skipped: ${MISSING}`);
const RUN = MISSING === undefined;

let harness: BrowserHarness;
let webgpuReason: string | undefined;

/** max |a − b| / max |b|. */
function relativeToLargest(a: number[], b: number[]): number {
  const largest = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / largest;
}

describe.runIf(RUN)('fused predict in Chromium', () => {
  beforeAll(async () => {
    harness = await startBrowserHarness();
    const page = await harness.open();
    const rows = await page.evaluate(() => window.effnet.listBackends());
    await page.close();
    webgpuReason = rows.find((r) => r.name === 'webgpu')?.reason;
    if (webgpuReason !== undefined) console.warn(`webgpu cases skipped: Chromium offers no WebGPU here: ${webgpuReason}`);
  }, 300_000);

  afterAll(async () => {
    await harness?.close();
  });

  it.each(['b0-narrow', 'v2-tiny'].flatMap((name) => ['webgl', 'webgpu', 'wasm'].map((backend) => [name, backend])))(
    '%s on %s: fused logits within 1e-5 of the plain modules, rebuilt after a weight change, no leak',
    async (name, backend) => {
      if (backend === 'webgpu' && webgpuReason !== undefined) return void console.warn(`skipped on webgpu: ${webgpuReason}`);
      const fresh = await harness.open(); // a page per case: a lost GPU device must not spill into the next
      const result = await fresh.evaluate(([n, b]) => window.effnet.fusedVsPlain(n!, b!), [name, backend]).finally(() => fresh.close());
      expect(result.backend.name).toBe(backend);
      expect(result.fused).toHaveLength(20);
      const error = relativeToLargest(result.fused, result.plain);
      const changedError = relativeToLargest(result.changedFused, result.changedPlain);
      console.log(`${name} on ${backend}: fused vs plain ${error.toExponential(2)}, after the weight change ${changedError.toExponential(2)} (relative to the largest logit)`);
      expect(error).toBeLessThan(1e-5);
      expect(changedError).toBeLessThan(1e-5);
      expect(relativeToLargest(result.changedFused, result.fused)).toBeGreaterThan(1e-3);
      expect(result.tensors.cached).toBeGreaterThan(result.tensors.before);
      expect(result.tensors.steady).toBe(result.tensors.cached);
      expect(result.tensors.after).toBe(result.tensors.before);
      expect(harness.console.filter((line) => line.startsWith('pageerror'))).toEqual([]);
    },
    180_000,
  );
});

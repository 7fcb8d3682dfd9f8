// effnet's webgl kernels (@effnet/backend-webgl: 1×1, depthwise and stem convolutions, the global
// mean, SiLU and the elementwise add and product, shapes passed as uniforms; the weights' upload) in
// Debian's Chromium (headless, WebGL 2 on SwiftShader): 40 seeded shapes each against float64 sums
// (the depthwise one both with tfjs's WEBGL_USE_SHAPES_UNIFORMS, where effnet's program runs, and
// without, where tfjs's does; inputs uploaded or made by a shader, filters and biases also uploaded
// at once by EffnetUpload, which writes them into packed textures without a program (read back
// exactly for awkward shapes); some stem and global-mean inputs with ones in
// their packed textures' padding lanes, which an odd last channel or column must leave out), one
// program per kernel over layers of different sizes (the reason they exist: fewer shaders to compile on a cold first predict),
// SiLU's special values as tfjs's composed ops give them, typed refusals, no leaked tensor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, startBrowserHarness, type BrowserHarness } from './chromium.js';

const MISSING = chromiumMissing();
if (MISSING !== undefined && !process.env['CI']) console.warn(`webgl kernel Chromium tests skipped: ${MISSING}`);
const RUN = MISSING === undefined;

let harness: BrowserHarness;

describe.runIf(RUN)('effnet webgl kernels in Chromium', () => {
  beforeAll(async () => {
    harness = await startBrowserHarness();
  }, 300_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('equal float64 sums on 40 seeded shapes each, compile one program for layers of every size, refuse bad calls, leak nothing', async () => {
    const page = await harness.open();
    const report = await page.evaluate(() => window.effnet.webglKernelSweep(40)).finally(() => page.close());
    expect(report.registered).toEqual({ EffnetPointwiseConv: true, EffnetDepthwiseConv: true, EffnetConv: true, EffnetGlobalMean: true, EffnetSilu: true, EffnetUpload: true, EffnetElementwise: true });
    for (const [name, sweep] of Object.entries({ pointwise: report.pointwise, depthwise: report.depthwise, depthwiseStock: report.depthwiseStock, conv: report.conv, globalMean: report.globalMean, silu: report.silu, elementwise: report.elementwise })) {
      console.log(`${name}: ${sweep.cases} cases, largest error ${sweep.error.toExponential(2)} (${sweep.worst}), ${sweep.programs} programs`);
      expect(sweep.cases, name).toBe(40);
      expect(sweep.error, `${name}: ${sweep.worst}`).toBeLessThan(2e-6);
    }
    // Four layers of one kind with different sizes: one program for effnet's kernel, one per
    // layer for tfjs's (its 1×1 convolution is the matrix product with the channel count written in).
    console.log(`programs for four layers, effnet vs tfjs: ${JSON.stringify(report.programCounts)}`);
    expect(report.programCounts.pointwise.effnet).toBe(1);
    expect(report.programCounts.depthwise.effnet).toBe(1);
    expect(report.programCounts.globalMean.effnet).toBe(1);
    expect(report.programCounts.pointwise.tfjs).toBe(4);
    expect(report.programCounts.depthwise.tfjs).toBe(4);
    expect(report.programCounts.globalMean.tfjs).toBe(4);
    // Four weights of different shapes: no upload program (written into packed textures from
    // JavaScript), where tfjs builds one per shape; four gates: one program, where tfjs builds four.
    expect(report.programCounts.upload.effnet).toBe(0);
    expect(report.programCounts.upload.tfjs).toBe(4);
    expect(report.uploads).toEqual(['[1]', '[7]', '[3, 5]', '[2, 3, 5, 7]', '[3, 3, 5, 1]', '[1, 1, 9, 6]', '[2, 1, 3]', '[20001]', '[1, 1, 1280, 1000]'].map((shape) => `${shape}: packed, values equal`));
    expect(report.programCounts.elementwise.effnet).toBe(1);
    expect(report.programCounts.elementwise.tfjs).toBe(4);
    expect(report.siluSpecials.kernel).toEqual(report.siluSpecials.composed);
    expect(report.refusals[0]).toMatch(/EffnetBackendError.*EffnetPointwiseConv needs .*even channel count/);
    expect(report.refusals[1]).toMatch(/EffnetBackendError.*EffnetDepthwiseConv needs .*\[fh, fw, channels, 1\] filter/);
    expect(report.refusals[2]).toMatch(/EffnetBackendError.*unknown activation 'gelu'/);
    expect(report.refusals[3]).toMatch(/EffnetBackendError.*EffnetElementwise: unknown op 'subtract'/);
    expect(report.tensors.after).toBe(report.tensors.before);
    expect(harness.console.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  }, 300_000);
});

// report.html as a person sees it: headless Chromium (Debian's `chromium`) with the network
// blocked draws all four plots and the grid of test images, with no page errors.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricsRecord } from '@effnet/train';
import { renderReport } from './render-report.js';
import { renderReportPage } from '../../test/report-screenshot.js';

const CHROMIUM = '/usr/bin/chromium';
const noChromium = !existsSync(CHROMIUM);
if (noChromium) console.log(`skipping the report rendering test: ${CHROMIUM} is missing (apt-get install chromium)`);

const records: MetricsRecord[] = [
  { type: 'stage', index: 0, startStep: 0, steps: 3, imageSize: 14, dropout: 0.05, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0 },
  ...[1, 2, 3].map((step) => ({ type: 'step' as const, step, epoch: 0, stage: 0, imageSize: 14, loss: 2 - step * 0.2, lr: 0.01, imagesPerSecond: 90, elapsed: step })),
  { type: 'eval', step: 3, ema: true, loss: 1.1, top1: 0.6, top5: 0.9, count: 10 },
  { type: 'stage', index: 1, startStep: 3, steps: 3, imageSize: 28, dropout: 0.2, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0 },
  ...[4, 5, 6].map((step) => ({ type: 'step' as const, step, epoch: 0, stage: 1, imageSize: 28, loss: 2 - step * 0.2, lr: 0.01, imagesPerSecond: 40, elapsed: step })),
  { type: 'eval', step: 6, ema: true, loss: 0.8, top1: 0.7, top5: 1, count: 10, confusion: [[4, 1], [2, 3]] },
];

describe.skipIf(noChromium)('report.html in headless Chromium', () => {
  it('draws the four plots and the test images offline without errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'effnet-report-'));
    try {
      // A 1×1 grey PNG as the test image.
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABc3UBGAAAAABJRU5ErkJggg==', 'base64');
      const html = renderReport(records, { title: 'test run', classNames: ['a', 'b'], facts: ['fact'], samples: [{ png, truth: 'a', predicted: 'a', confidence: 0.9 }, { png, truth: 'b', predicted: 'a', confidence: 0.6 }] });
      const path = join(dir, 'report.html');
      writeFileSync(path, html);
      const rendering = await renderReportPage(path, join(dir, 'report.png'), CHROMIUM);
      expect(rendering).toEqual({ plots: 4, figures: 2, errors: [] });
      expect(existsSync(join(dir, 'report.png'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

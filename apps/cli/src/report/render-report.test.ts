import { describe, expect, it } from 'vitest';
import type { MetricsRecord } from '@effnet/train';
import { renderReport, reportSpecs } from './render-report.js';

const records: MetricsRecord[] = [
  { type: 'stage', index: 0, startStep: 0, steps: 4, imageSize: 16, dropout: 0.1, dropPath: 0, randAugmentMagnitude: 5, mixupAlpha: 0 },
  ...[1, 2, 3, 4].map((step) => ({ type: 'step' as const, step, epoch: 0, stage: 0, imageSize: 16, loss: 2.3 - step * 0.1, lr: 0.1, imagesPerSecond: 100, elapsed: step })),
  { type: 'stage', index: 1, startStep: 4, steps: 4, imageSize: 28, dropout: 0.3, dropPath: 0.1, randAugmentMagnitude: 10, mixupAlpha: 0.2 },
  ...[5, 6, 7, 8].map((step) => ({ type: 'step' as const, step, epoch: 1, stage: 1, imageSize: 28, loss: 2.3 - step * 0.1, lr: 0.1, imagesPerSecond: 100, elapsed: step })),
  { type: 'eval', step: 8, ema: true, loss: 1.2, top1: 0.6, top5: 0.95, count: 5, confusion: [[2, 1], [1, 1]] },
];

describe('report', () => {
  it('plots stage boundaries, the schedule and the confusion matrix from the records', () => {
    const specs = reportSpecs(records, ['cat', 'dog']) as Record<string, { layer?: { data?: { values: { step?: number; label?: string }[] } }[]; data?: { values: { setting?: string; value?: number; count?: number; truth?: string; predicted?: string }[] } }>;
    const rules = specs.loss!.layer![1]!.data!.values;
    expect(rules).toEqual([{ step: 0, label: 'stage 1: 16px' }, { step: 4, label: 'stage 2: 28px' }]);
    const sizes = specs.schedule!.data!.values.filter((v) => v.setting === 'imageSize').map((v) => v.value);
    expect(sizes).toEqual([16, 16, 28, 28]);
    const cells = specs.confusion!.data!.values;
    expect(cells.reduce((n, c) => n + c.count!, 0)).toBe(5);
    expect(cells.find((c) => c.truth === 'cat' && c.predicted === 'dog')!.count).toBe(1);
  });

  it('writes a self-contained page with inlined plotting code and escaped text', () => {
    const html = renderReport(records, {
      title: 'tiny <run>',
      classNames: ['cat', 'dog'],
      facts: ['backend: wasm'],
      samples: [{ png: new Uint8Array([137, 80, 78, 71]), truth: 'cat', predicted: 'dog', confidence: 0.75 }],
    });
    expect(html).toContain('<title>tiny &#60;run&#62;</title>');
    expect(html).toContain('data:image/png;base64,iVBORw==');
    expect(html).toContain('class="bad"');
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing loaded from outside: it opens offline
    expect(html.length).toBeGreaterThan(500_000); // vega, vega-lite and vega-embed are inlined
  });
});

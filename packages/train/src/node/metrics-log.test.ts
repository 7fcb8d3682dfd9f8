import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsLog, readMetrics } from './metrics-log.js';
import type { MetricsRecord } from '../metrics-records.js';

describe('metrics.jsonl', () => {
  it('appends records and reads them back, ignoring a torn last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'effnet-metrics-'));
    try {
      const log = new MetricsLog(join(dir, 'run', 'metrics.jsonl'));
      const records: MetricsRecord[] = [
        { type: 'stage', index: 0, startStep: 0, steps: 10, imageSize: 16, dropout: 0.1, dropPath: 0, randAugmentMagnitude: 5, mixupAlpha: 0 },
        { type: 'step', step: 1, epoch: 0, stage: 0, imageSize: 16, loss: 2.3, lr: 0.1, imagesPerSecond: 512, elapsed: 0.2 },
        { type: 'eval', step: 1, ema: true, loss: 2.1, top1: 0.25, top5: 0.7, count: 100 },
      ];
      for (const record of records) log.write(record);
      appendFileSync(log.path, '{"type":"step","ste');
      expect(readMetrics(log.path)).toEqual(records);
      appendFileSync(log.path, '\n{"type":"eval"}\n');
      expect(() => readMetrics(log.path)).toThrow(/line 4 is not JSON/);
      expect(() => readMetrics(join(dir, 'none.jsonl'))).toThrow(/no metrics file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts a torn last line when reopened, so a resumed run appends readable records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'effnet-metrics-'));
    try {
      const path = join(dir, 'metrics.jsonl');
      const first: MetricsRecord = { type: 'eval', step: 1, ema: true, loss: 2.1, top1: 0.25, top5: 0.7, count: 100 };
      new MetricsLog(path).write(first);
      appendFileSync(path, '{"type":"step","ste');
      const resumed = new MetricsLog(path);
      const next: MetricsRecord = { type: 'eval', step: 2, ema: true, loss: 2.0, top1: 0.3, top5: 0.8, count: 100 };
      resumed.write(next);
      expect(readMetrics(path)).toEqual([first, next]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

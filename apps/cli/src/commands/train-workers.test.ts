// `--workers`: bad values end with one typed line; a data-parallel run (2 replicas, wasm) stopped
// by Ctrl-C resumes exactly with the same --workers and may resume with another; bench times the
// data-parallel step.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interruptAfterSteps, runCli, startCli } from '../../test/cli-runner.js';
import { EffnetOptionError } from '../option-error.js';
import { checkWorkers } from '../run/replica-pool.js';
import type { TrainRunSummary } from '../run/training-run.js';

const dir = mkdtempSync(join(tmpdir(), 'effnet-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = ['--preset', 'efficientnetv2-28-lite', '--backend', 'wasm', '--limit-per-class', '3', '--batch', '10', '--stages', '2', '--from-size', '14', '--to-size', '20',
  '--stage-eval', '0', '--samples', '0', '--checkpoint-every', '1', '--epochs', '1', '--seed', '2'];

describe('effnet train --workers', () => {
  it.each([['0'], ['two'], ['1.5'], ['257']])('refuses --workers %s with one line', async (value) => {
    const result = await runCli('train', '--out', join(dir, 'bad'), '--workers', value);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`error: --workers: expected an integer from 1 to 256 (data-parallel replicas; 1 runs on the main thread alone), got '${value}'\n`);
  });

  it('refuses more than one worker on a backend that is not wasm or cpu', () => {
    expect(() => checkWorkers(2, 'tensorflow')).toThrow(EffnetOptionError);
    expect(() => checkWorkers(2, 'tensorflow')).toThrow("--workers: 2 replicas need the wasm or cpu backend, but the run uses 'tensorflow': pass --backend wasm, or --workers 1");
    expect(() => checkWorkers(1, 'tensorflow')).not.toThrow();
  });

  it('resumes a 2-replica run stopped by Ctrl-C exactly, and with 1 replica too', async () => {
    const args = (out: string, workers: string) => ['train', '--out', out, ...TINY, '--workers', workers, '--json'];
    const unbroken = await runCli(...args(join(dir, 'unbroken'), '2'));
    expect(unbroken.code, unbroken.err).toBe(0);
    const whole = JSON.parse(unbroken.out) as TrainRunSummary;
    expect(whole.workers).toBe(2);
    expect(whole.steps).toBe(3);
    const stopped = join(dir, 'stopped');
    const child = startCli(args(stopped, '2'));
    expect(await interruptAfterSteps(child, join(stopped, 'metrics.jsonl'), 1)).toBe(130);
    const other = join(dir, 'other');
    cpSync(stopped, other, { recursive: true });
    const same = await runCli(...args(stopped, '2'), '--resume');
    expect(same.code, same.err).toBe(0);
    expect(same.err).toMatch(/resumed from step [12] of 3/);
    const resumed = JSON.parse(same.out) as TrainRunSummary;
    expect(resumed.evaluation!.loss).toBe(whole.evaluation!.loss);
    expect(resumed.evaluation!.top1).toBe(whole.evaluation!.top1);
    const fewer = await runCli(...args(other, '1'), '--resume');
    expect(fewer.code, fewer.err).toBe(0);
    const single = JSON.parse(fewer.out) as TrainRunSummary;
    expect([single.workers, single.steps, single.evaluation!.count]).toEqual([1, 3, 30]);
  }, 300_000);
});

describe('effnet bench --train --workers', () => {
  it('times the data-parallel step', async () => {
    const result = await runCli('bench', '--preset', 'efficientnetv2-28-lite', '--backend', 'wasm', '--batch', '8', '--channels', '1', '--classes', '10', '--train', '--workers', '2', '--runs', '1', '--warmup', '1', '--json');
    expect(result.code, result.err).toBe(0);
    const bench = JSON.parse(result.out) as { workers: number; training: { ms: number } };
    expect(bench.workers).toBe(2);
    expect(bench.training.ms).toBeGreaterThan(0);
  }, 120_000);

  it('refuses --workers 0 with one line', async () => {
    const result = await runCli('bench', '--train', '--workers', '0');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: --workers: expected an integer from 1 to 256/);
  });
});

// `effnet train` applies Algorithm 1 in full: the plan it trains (metrics.jsonl's stage records)
// is the one `effnet plan` prints, stage by stage, with RandAugment, Mixup, CutMix and drop path
// on; each stage's end record counts what its batches got; and a run resumed from a checkpoint
// (the later ones removed, as after a crash) ends with exactly the weights of the unbroken run.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, readMetrics } from '@effnet/train/node';
import { runCli } from '../../test/cli-runner.js';

const run = runCli;

const REGULARISATION = ['--randaugment', '5:15', '--mixup', '0:0.2', '--cutmix', '0:1', '--drop-path', '0:0.1', '--dropout', '0:0.1'];
const TRAIN = [
  '--preset', 'efficientnetv2-28-lite', '--backend', 'wasm', '--limit-per-class', '4', '--batch', '8', '--epochs', '1.2', '--stages', '3',
  '--to-size', '16', '--stage-eval', '0', '--samples', '0', '--checkpoint-every', '1', '--keep', '10', '--seed', '4', ...REGULARISATION,
];

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-augment-'));
  const result = await run('train', '--out', join(dir, 'straight'), ...TRAIN, '--json');
  expect(result.code, result.err).toBe(0);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('effnet train with the whole of Algorithm 1', () => {
  it('trains the plan effnet plan prints, stage by stage', async () => {
    const printed = await run('plan', 'efficientnetv2-28-lite', '--stages', '3', '--steps', '6', '--to-size', '16', ...REGULARISATION, '--json');
    expect(printed.code, printed.err).toBe(0);
    const plan = JSON.parse(printed.out) as { stages: Record<string, number>[] };
    const trained = readMetrics(join(dir, 'straight', 'metrics.jsonl')).filter((r) => r.type === 'stage');
    const keys = ['imageSize', 'dropout', 'dropPath', 'randAugmentMagnitude', 'mixupAlpha', 'cutmixAlpha'] as const;
    expect(trained.map((r) => [r.startStep, r.steps, ...keys.map((k) => r[k])])).toEqual(plan.stages.map((s) => [s['start'], s['length'], ...keys.map((k) => s[k])]));
    expect(plan.stages.map((s) => [s['imageSize'], s['randAugmentMagnitude'], s['mixupAlpha'], s['cutmixAlpha']])).toEqual([[8, 5, 0, 0], [12, 10, 0.1, 0.5], [16, 15, 0.2, 1]]);
  });

  it('records per stage what its batches got', () => {
    const ends = readMetrics(join(dir, 'straight', 'metrics.jsonl')).flatMap((r) => (r.type === 'stage-end' ? [r] : []));
    expect(ends.map((r) => [r.index, r.step, r.batches, r.randAugment, r.mixup + r.cutmix])).toEqual([[0, 2, 2, 2, 0], [1, 4, 2, 2, 2], [2, 6, 2, 2, 2]]);
  });

  it('resumes bit for bit with augmentation on', async () => {
    const copy = join(dir, 'crashed');
    cpSync(join(dir, 'straight'), copy, { recursive: true });
    for (const name of ['model', 'summary.json', 'report.html']) rmSync(join(copy, name), { recursive: true, force: true });
    // As if the process died after step 3 (mid-stage 2, with Mixup/CutMix on).
    for (const step of readdirSync(join(copy, 'checkpoints'))) if (step > 'step-000000003') rmSync(join(copy, 'checkpoints', step), { recursive: true });
    const resumed = await run('train', '--out', copy, ...TRAIN, '--resume', '--json');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(/resumed from step 3 of 6/);
    const [a, b] = await Promise.all(['straight', 'crashed'].map((name) => loadCheckpoint(join(dir, name, 'checkpoints', 'step-000000006'))));
    const names = Object.keys(a!.tensors).filter((n) => n.startsWith('model/'));
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) expect(Array.from(b!.tensors[name]!.values), name).toEqual(Array.from(a!.tensors[name]!.values));
    expect(b!.state['augmentationState']).toBe(a!.state['augmentationState']);
    // metrics.jsonl lost the records after the checkpoint and logged steps 4-6 once, with the unbroken run's losses.
    const log = readMetrics(join(copy, 'metrics.jsonl'));
    const losses = (records: typeof log) => records.flatMap((r) => (r.type === 'step' ? [[r.step, r.loss]] : []));
    expect(losses(log)).toEqual(losses(readMetrics(join(dir, 'straight', 'metrics.jsonl'))));
    expect(log.flatMap((r) => (r.type === 'stage' || r.type === 'stage-end' ? [`${r.type} ${r.index}`] : []))).toEqual(['stage 0', 'stage-end 0', 'stage 1', 'stage-end 1', 'stage 2', 'stage-end 2']);
  }, 120_000);
});

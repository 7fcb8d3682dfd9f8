// The run folder knows its run, through `main` as a user calls it (wasm backend, 20 Fashion-MNIST
// images, one step per epoch): a used folder is refused unless --overwrite (which starts clean);
// --resume refuses changed settings; a second writer is kept out by the lock and a dead one's lock
// is taken over; leftovers of a crash and a torn metrics.jsonl line do not stop the next start;
// import refuses a used folder; a diverging loss stops the run before any checkpoint of it.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, readMetrics } from '@effnet/train/node';
import { runCli } from '../../test/cli-runner.js';
import { LOCK_FILE } from '../run/run-lock.js';

const run = runCli;

/** A failure: exit 2 and one line on stderr. */
function expectOneLine(result: { code: number; err: string }, pattern: RegExp): void {
  expect(result.err.trim().split('\n'), result.err).toHaveLength(1);
  expect(result.err).toMatch(pattern);
  expect(result.code).toBe(2);
}

const TINY = ['--preset', 'efficientnetv2-28-lite', '--backend', 'wasm', '--limit-per-class', '2', '--batch', '16', '--stages', '1', '--to-size', '16', '--stage-eval', '0', '--samples', '0', '--checkpoint-every', '1'];

let dir: string;
let runDir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-run-folder-'));
  runDir = join(dir, 'run');
  const result = await run('train', '--out', runDir, ...TINY, '--epochs', '2', '--seed', '1', '--json');
  expect(result.code, result.err).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a used run folder', () => {
  it('is refused by a new run without --overwrite, and --overwrite starts clean', async () => {
    const refused = await run('train', '--out', runDir, ...TINY, '--epochs', '1', '--seed', '2');
    expectOneLine(refused, /already holds a run \(run\.json, model, checkpoints, metrics\.jsonl, report\.html, summary\.json\): add --resume to continue it, --overwrite to replace it/);
    expect(readdirSync(join(runDir, 'checkpoints'))).toEqual(['step-000000001', 'step-000000002']);

    const copy = join(dir, 'overwritten');
    mkdirSync(copy);
    expect((await run('train', '--out', copy, ...TINY, '--epochs', '2', '--seed', '1')).code).toBe(0);
    // A lock left by a process that is gone is taken over.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(copy, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout), host: (await import('node:os')).hostname(), started: 'then' }));
    const overwritten = await run('train', '--out', copy, ...TINY, '--epochs', '1', '--seed', '2', '--overwrite');
    expect(overwritten.code, overwritten.err).toBe(0);
    // Only the new run's step 1 is left; the old run's step 2 is gone, and so is the lock.
    expect(readdirSync(join(copy, 'checkpoints'))).toEqual(['step-000000001']);
    expect(JSON.parse(readFileSync(join(copy, 'run.json'), 'utf8')).settings.seed).toBe(2);
    expect(readMetrics(join(copy, 'metrics.jsonl')).filter((r) => r.type === 'step')).toHaveLength(1);
    expect(existsSync(join(copy, LOCK_FILE))).toBe(false);
  }, 120_000);

  it('--resume refuses a changed setting and names it', async () => {
    expectOneLine(await run('train', '--out', runDir, ...TINY, '--epochs', '2', '--seed', '1', '--resume', '--optimizer', 'sgd'), /^error: resume: --optimizer was adamw, now sgd: resume with the run's settings/);
    expectOneLine(await run('train', '--out', runDir, ...TINY, '--epochs', '3', '--seed', '1', '--resume', '--batch', '8'), /--epochs was 2, now 3; --batch was 16, now 8/);
    expectOneLine(await run('train', '--out', runDir, ...TINY, '--epochs', '2', '--seed', '1', '--resume', '--data', 'mnist'), /--data was fashion-mnist, now mnist/);
  });

  it('is kept from a second writer by the lock, naming the holder', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(runDir, LOCK_FILE), JSON.stringify({ pid: holder.pid, host: (await import('node:os')).hostname(), started: '2026-01-01T00:00:00Z' }));
      expectOneLine(await run('train', '--out', runDir, ...TINY, '--epochs', '2', '--seed', '1', '--resume'), new RegExp(`is in use by another effnet train \\(pid ${holder.pid} on .+, started 2026-01-01T00:00:00Z\\)`));
      expect(existsSync(join(runDir, LOCK_FILE))).toBe(true); // not the refused run's to remove
    } finally {
      holder.kill();
      rmSync(join(runDir, LOCK_FILE), { force: true });
    }
  });

  it('clears crash leftovers and a torn metrics.jsonl line on the next start', async () => {
    mkdirSync(join(runDir, 'checkpoints', 'step-000000003.4242.partial'));
    writeFileSync(join(runDir, 'checkpoints', 'step-000000003.4242.partial', 'tensors.bin'), 'half');
    writeFileSync(join(runDir, 'summary.json.123456789'), '{"half":');
    writeFileSync(join(runDir, 'model', 'weights.bin.987654321'), 'half');
    appendFileSync(join(runDir, 'metrics.jsonl'), '{"type":"step","st');
    const resumed = await run('train', '--out', runDir, ...TINY, '--epochs', '2', '--seed', '1', '--resume');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/resumed from step 2 of 2/);
    expect(readdirSync(join(runDir, 'checkpoints'))).toEqual(['step-000000001', 'step-000000002']);
    expect(readdirSync(runDir).filter((name) => /\.\d+$/.test(name))).toEqual([]);
    expect(readdirSync(join(runDir, 'model')).sort()).toEqual(['model-meta.json', 'model.json', 'weights.bin']);
    expect(readMetrics(join(runDir, 'metrics.jsonl')).filter((r) => r.type === 'eval')).toHaveLength(2);
  }, 120_000);

  it('is refused by effnet import without --overwrite (nothing is reported that was not kept)', async () => {
    const file = join(dir, 'weights.safetensors');
    writeFileSync(file, 'not read before the folder is checked');
    expectOneLine(await run('import', file, '--preset', 'efficientnetv2-28-lite', '--out', runDir, '--backend', 'cpu'), /already holds a model or run \(.*model.*\): add --overwrite to replace it/);
  });
});

describe('a diverging run', () => {
  it('stops with one line and exit 2, and every checkpoint written holds finite values', async () => {
    const out = join(dir, 'diverged');
    const result = await run('train', '--out', out, ...TINY, '--epochs', '12', '--lr', '30', '--optimizer', 'sgd', '--warmup', '0');
    expectOneLine(result, /^error: loss: the run diverged: the median loss of steps \d+-\d+ is [\d.e+]+, over 10× the first step's/);
    const checkpoints = readdirSync(join(out, 'checkpoints'));
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const name of checkpoints) {
      const { tensors } = loadCheckpoint(join(out, 'checkpoints', name));
      for (const [tensor, data] of Object.entries(tensors)) expect(data.values.every(Number.isFinite), `${name} ${tensor}`).toBe(true);
    }
    expect(existsSync(join(out, 'model'))).toBe(false);
  }, 120_000);
});

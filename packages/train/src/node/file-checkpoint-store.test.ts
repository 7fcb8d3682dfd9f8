import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestCheckpoint, listCheckpoints, loadCheckpoint, saveCheckpoint } from './file-checkpoint-store.js';
import type { CheckpointContent } from '../checkpoint-store.js';
import { EffnetDataError } from '../errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-ckpt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function content(step: number): CheckpointContent {
  return {
    step,
    stage: 1,
    state: { rng: 12345, note: 'x' },
    tensors: {
      'stem.conv.kernel': { shape: [2, 3], dtype: 'float32', values: Float32Array.from([1.5, -2, 3, 4e-8, 5, Math.PI]) },
      'optimizer.iterations': { shape: [], dtype: 'int32', values: Int32Array.from([step]) },
    },
  };
}

describe('checkpoints', () => {
  it('round-trips every tensor bit for bit with the caller state', () => {
    const path = saveCheckpoint(dir, content(20));
    expect(path).toBe(join(dir, 'step-000000020'));
    const loaded = loadCheckpoint(path);
    expect(loaded.step).toBe(20);
    expect(loaded.stage).toBe(1);
    expect(loaded.state).toEqual({ rng: 12345, note: 'x' });
    expect(Array.from(loaded.tensors['stem.conv.kernel']!.values)).toEqual(Array.from(Float32Array.from([1.5, -2, 3, 4e-8, 5, Math.PI])));
    expect(loaded.tensors['optimizer.iterations']).toEqual({ shape: [], dtype: 'int32', values: Int32Array.from([20]) });
  });

  it('keeps only the newest K and ignores and removes partial folders', () => {
    for (const step of [1, 2, 3, 4]) saveCheckpoint(dir, content(step), 2);
    mkdirSync(join(dir, 'step-000000005.999.partial'));
    expect(listCheckpoints(dir).map((p) => p.slice(dir.length + 1))).toEqual(['step-000000003', 'step-000000004']);
    expect(latestCheckpoint(dir)).toBe(join(dir, 'step-000000004'));
    expect(readdirSync(dir).some((name) => name.endsWith('.partial'))).toBe(false);
  });

  it('rejects damaged checkpoints with a typed error', () => {
    const path = saveCheckpoint(dir, content(7));
    writeFileSync(join(path, 'tensors.bin'), Buffer.alloc(8));
    expect(() => loadCheckpoint(path)).toThrow(EffnetDataError);
    expect(() => loadCheckpoint(path)).toThrow(/does not fit tensors.bin/);
    expect(() => loadCheckpoint(join(dir, 'nothing'))).toThrow(/not a readable checkpoint/);
  });

  it('leaves the previous checkpoint loadable when the writer is killed with SIGKILL mid-write', async () => {
    saveCheckpoint(dir, content(10));
    // A child process writes a 400 MB checkpoint; the parent kills it once the partial folder exists.
    const script = `
      import { saveCheckpoint } from ${JSON.stringify(new URL('./file-checkpoint-store.ts', import.meta.url).pathname)};
      const big = new Float32Array(100_000_000).fill(1);
      saveCheckpoint(${JSON.stringify(dir)}, { step: 11, stage: 0, state: {}, tensors: { big: { shape: [big.length], dtype: 'float32', values: big } } });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let sawPartial = false;
    while (child.exitCode === null && child.signalCode === null) {
      if (readdirSync(dir).some((name) => name.endsWith('.partial'))) {
        sawPartial = true;
        child.kill('SIGKILL');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await exited).toBe('SIGKILL');
    expect(sawPartial).toBe(true);
    expect(existsSync(join(dir, 'step-000000011'))).toBe(false);
    const latest = latestCheckpoint(dir)!;
    expect(latest).toBe(join(dir, 'step-000000010'));
    expect(loadCheckpoint(latest).step).toBe(10);
  });
});

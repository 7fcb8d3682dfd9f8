// The run-folder lock: one holder at a time, named in the refusal; the lock appears whole (no draft
// left behind); a released or torn lock is free to take.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EffnetDataError } from '@effnet/train';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRunFolder } from './run-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lockRunFolder', () => {
  it('writes the whole lock, leaves no draft, refuses a second holder by pid, and frees the folder on release', () => {
    const release = lockRunFolder(dir);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(() => lockRunFolder(dir)).toThrow(EffnetDataError);
    expect(() => lockRunFolder(dir)).toThrow(new RegExp(`in use by another effnet train \\(pid ${process.pid} `));
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    release();
    expect(readdirSync(dir)).toEqual([]);
    lockRunFolder(dir)();
  });

  it('takes over a torn (empty) lock', () => {
    writeFileSync(join(dir, LOCK_FILE), '');
    const release = lockRunFolder(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
  });
});

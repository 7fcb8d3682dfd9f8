// One writer per run folder: `effnet train` holds `<out>/.effnet.lock` (pid, host, start time) for
// the whole run, so a second run on the same folder stops with a message naming the first instead
// of deleting its checkpoints and interleaving metrics.jsonl. A lock left by a process that no
// longer exists (on this host) is taken over. The lock appears whole: it is written to a private
// file first and then hard-linked into place, which fails when the lock exists, so no reader ever
// sees an empty lock that it would take for a stale one.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EffnetDataError } from '@effnet/train';

/** The lock file's name inside a run folder. */
export const LOCK_FILE = '.effnet.lock';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' && typeof info.host === 'string' ? { pid: info.pid, host: info.host, started: String(info.started ?? '?') } : null;
  } catch {
    return null; // torn or empty: written by a process killed mid-write
  }
}

/**
 * Takes the lock of run folder `dir` (created if missing); returns the function that releases it.
 *
 * @throws EffnetDataError naming the process that holds it.
 */
export function lockRunFolder(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(draft, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readLock(path);
        const stale = holder === null || (holder.host === mine.host && !alive(holder.pid));
        if (!stale) {
          throw new EffnetDataError(dir, `is in use by another effnet train (pid ${holder!.pid} on ${holder!.host}, started ${holder!.started}): wait for it to end or choose another --out; if that process is gone, delete ${path}`);
        }
        rmSync(path, { force: true });
        continue;
      }
      return () => {
        if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
      };
    }
  } finally {
    rmSync(draft, { force: true });
  }
  throw new EffnetDataError(dir, `could not take ${path}: another process keeps creating it`);
}

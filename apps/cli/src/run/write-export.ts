// Writes an export atomically: one file through write-file-atomic (temporary file, fsync, rename),
// or a folder of files (a TF.js graph model) written into a temporary sibling folder and renamed
// into place, so that an interrupted export never leaves a half-written model behind.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { EffnetDataError } from '@effnet/train';

function checkParent(path: string): void {
  const parent = dirname(path);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new EffnetDataError(path, `its folder ${parent} does not exist; create it first or pick another --out`);
}

/** Writes `bytes` to `path` atomically. */
export async function writeExportFile(path: string, bytes: Uint8Array): Promise<void> {
  checkParent(path);
  if (existsSync(path) && statSync(path).isDirectory()) throw new EffnetDataError(path, 'is a folder; --out must name a file for this format');
  await writeFileAtomic(path, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** Writes `files` into the folder `dir` (replacing an earlier export there) atomically. */
export async function writeExportFolder(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  checkParent(dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new EffnetDataError(dir, 'is a file; --out must name a folder for a graph model');
  if (existsSync(dir) && !existsSync(join(dir, 'model.json'))) throw new EffnetDataError(dir, 'exists and holds no model.json; pick an empty or new folder for --out');
  const temporary = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary);
  try {
    for (const [name, bytes] of files) await writeFileAtomic(join(temporary, name), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const previous = `${temporary}-old`;
    if (existsSync(dir)) renameSync(dir, previous);
    renameSync(temporary, dir);
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

// Checkpoints that survive a crash at any moment. A checkpoint is a folder `step-000120/` with
// `checkpoint.json` (step, stage, caller state, tensor index) and `tensors.bin` (raw little-endian
// data). It is written under a temporary name, flushed to disk, then renamed: a folder with the
// final name is always complete, and a run killed mid-write leaves only a `*.partial` folder that
// is ignored and cleaned up. The newest `keep` checkpoints are kept. `fileCheckpointStore(dir)` is
// the Trainer's CheckpointStore over such folders (Node only: `@effnet/train/node`).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CheckpointContent, CheckpointStore, TensorData } from '../checkpoint-store.js';
import { EffnetDataError } from '../errors.js';

interface TensorIndexEntry {
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

const FORMAT = 'effnet-checkpoint/1';
const NAME = /^step-(\d{9})$/;

function writeFileDurably(path: string, chunks: Uint8Array[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.byteLength) written += writeSync(fd, chunk, written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncFolder(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a checkpoint into `dir` atomically, drops all but the newest `keep`, returns its path. */
export function saveCheckpoint(dir: string, content: CheckpointContent, keep = 3): string {
  if (!Number.isInteger(content.step) || content.step < 0) throw new EffnetDataError(dir, `checkpoint step must be a non-negative integer, got ${content.step}`);
  mkdirSync(dir, { recursive: true });
  const final = join(dir, `step-${String(content.step).padStart(9, '0')}`);
  const partial = `${final}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  const index: Record<string, TensorIndexEntry> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(content.tensors)) {
    const bytes = new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength);
    index[name] = { shape: tensor.shape, dtype: tensor.dtype, offset, length: tensor.values.length };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  writeFileDurably(join(partial, 'tensors.bin'), chunks);
  const meta = { format: FORMAT, step: content.step, stage: content.stage, state: content.state, tensors: index };
  writeFileDurably(join(partial, 'checkpoint.json'), [new TextEncoder().encode(JSON.stringify(meta))]);
  syncFolder(partial);
  rmSync(final, { recursive: true, force: true });
  renameSync(partial, final);
  syncFolder(dir);
  for (const old of listCheckpoints(dir).slice(0, -keep)) rmSync(old, { recursive: true, force: true });
  return final;
}

/** Complete checkpoints in `dir`, oldest first; leftover partial folders are removed. */
export function listCheckpoints(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir);
  for (const name of names) if (name.endsWith('.partial')) rmSync(join(dir, name), { recursive: true, force: true });
  return names.filter((name) => NAME.test(name)).sort().map((name) => join(dir, name));
}

/** The newest complete checkpoint in `dir`, or undefined. */
export function latestCheckpoint(dir: string): string | undefined {
  return listCheckpoints(dir).at(-1);
}

/** Reads a checkpoint folder written by {@link saveCheckpoint}, checking every offset. */
export function loadCheckpoint(path: string): CheckpointContent {
  let meta: { format?: unknown; step?: unknown; stage?: unknown; state?: unknown; tensors?: Record<string, TensorIndexEntry> };
  let data: Buffer;
  try {
    meta = JSON.parse(readFileSync(join(path, 'checkpoint.json'), 'utf8'));
    data = readFileSync(join(path, 'tensors.bin'));
  } catch (error) {
    throw new EffnetDataError(path, `not a readable checkpoint: ${(error as Error).message}`);
  }
  if (meta.format !== FORMAT || typeof meta.step !== 'number' || typeof meta.stage !== 'number' || typeof meta.tensors !== 'object') {
    throw new EffnetDataError(path, `not an ${FORMAT} checkpoint`);
  }
  if (meta.tensors === null || Array.isArray(meta.tensors) || (meta.state !== undefined && (typeof meta.state !== 'object' || meta.state === null || Array.isArray(meta.state)))) {
    throw new EffnetDataError(path, `not an ${FORMAT} checkpoint: its tensors and state must be JSON objects`);
  }
  const tensors: Record<string, TensorData> = {};
  for (const [name, entry] of Object.entries(meta.tensors ?? {})) {
    if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new EffnetDataError(path, `tensor '${name}' has no valid shape (a list of non-negative integers): the checkpoint was edited or is corrupt`);
    }
    if (entry.dtype !== 'float32' && entry.dtype !== 'int32') throw new EffnetDataError(path, `tensor '${name}' has dtype ${JSON.stringify(entry.dtype)}; checkpoints hold float32 or int32`);
    if (!Number.isSafeInteger(entry.length)) throw new EffnetDataError(path, `tensor '${name}' has no valid length`);
    const bytes = entry.length * 4;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(entry.offset) || entry.offset < 0 || entry.offset + bytes > data.byteLength || count !== entry.length || entry.offset % 4 !== 0) {
      throw new EffnetDataError(path, `tensor '${name}' does not fit tensors.bin (offset ${entry.offset}, ${entry.length} values)`);
    }
    const copy = data.buffer.slice(data.byteOffset + entry.offset, data.byteOffset + entry.offset + bytes);
    const values = entry.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    tensors[name] = { shape: entry.shape, dtype: entry.dtype === 'int32' ? 'int32' : 'float32', values };
  }
  return { step: meta.step, stage: meta.stage, state: (meta.state ?? {}) as Record<string, unknown>, tensors };
}

/**
 * The Trainer's checkpoint store over a folder of crash-safe checkpoints (see {@link saveCheckpoint}).
 *
 * @param dir - The folder that holds `step-NNNNNNNNN/` checkpoints, or one checkpoint folder (read only).
 */
export function fileCheckpointStore(dir: string): CheckpointStore {
  return {
    async save(content, keep) {
      return saveCheckpoint(dir, content, keep);
    },
    async latest() {
      const location = latestCheckpoint(dir) ?? (NAME.test(basename(dir)) && existsSync(dir) ? dir : undefined);
      return location ? { location, content: loadCheckpoint(location) } : undefined;
    },
  };
}

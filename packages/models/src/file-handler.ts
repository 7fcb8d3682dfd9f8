// A `file://` tf.io IOHandler for Node (tfjs-core has none; tfjs-node's would make models depend on
// a backend). A model directory holds `model.json` (tf.io's format: modelTopology, weightsManifest)
// and `weights.bin`. Saving writes each file atomically (write-file-atomic: a temporary file in the
// same directory, fsync, rename), weights first, so a reader never sees a manifest without its weights. Loading
// treats the directory as hostile: model.json must be a regular file of bounded size; every weights
// path must be a plain relative name (no `..`, absolute path or drive), must not be a symlink and
// must resolve inside the directory; the file sizes must add up to what the weight specs need
// before anything is read. Node's modules are imported only when the handler runs.
import type * as tf from '@tensorflow/tfjs-core';
import { EffnetWeightsError } from './errors.js';
import { checkWeightPath, checkWeightSpecs } from './weights-manifest.js';

/** Largest model.json accepted. */
const MAX_MODEL_JSON = 16 * 1024 * 1024;

/** The fields of an effnet model.json. */
const MODEL_JSON_KEYS = new Set(['format', 'generatedBy', 'modelTopology', 'weightsManifest']);

/** The weights file saveWeights writes beside model.json. */
const WEIGHTS_FILE = 'weights.bin';

function fail(message: string): never {
  throw new EffnetWeightsError('file://', message);
}

// Named through a variable so that browser bundlers (esbuild, Vite) leave this Node-only package out
// of a bundle of @effnet/models; only the `file://` handler, which runs in Node alone, loads it.
const WRITE_FILE_ATOMIC = 'write-file-atomic';

async function node() {
  const [fs, path, atomic] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import(/* @vite-ignore */ WRITE_FILE_ATOMIC) as Promise<{ default: typeof import('write-file-atomic') }>,
  ]);
  return { fs, path, writeFileAtomic: atomic.default };
}

function joinBuffers(data: tf.io.WeightData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

/**
 * The parsed `model.json` of a model directory: what the loader reads before opening any weights file.
 *
 * @param bytes - The file's bytes.
 * @throws EffnetWeightsError when it is not UTF-8 JSON of tf.io's model.json shape, or a path is unsafe.
 */
export function parseModelJson(bytes: Uint8Array): { json: Record<string, unknown>; paths: string[]; weightSpecs: unknown[] } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    fail(`model.json is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('model.json is not a JSON object');
  const unknown = Object.keys(json).filter((key) => !MODEL_JSON_KEYS.has(key));
  if (unknown.length > 0) fail(`model.json has unknown fields ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected only ${[...MODEL_JSON_KEYS].join(', ')}`);
  const manifest = (json as Record<string, unknown>)['weightsManifest'];
  if (!Array.isArray(manifest) || manifest.length === 0 || manifest.length > 1024) fail('model.json has no weightsManifest list');
  const paths: string[] = [];
  const weightSpecs: unknown[] = [];
  for (const group of manifest) {
    if (typeof group !== 'object' || group === null || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail('a weightsManifest group is not {paths: [...], weights: [...]}');
    for (const p of group.paths as unknown[]) paths.push(checkWeightPath(p));
    weightSpecs.push(...(group.weights as unknown[]));
  }
  if (new Set(paths).size !== paths.length) fail('model.json lists a weights file twice');
  return { json: json as Record<string, unknown>, paths, weightSpecs };
}

/** How {@link artifactsFromDirectory} reaches the files of a model directory. */
export interface DirectoryReader {
  /** The bytes of model.json (bounded by the reader). */
  manifest(): Promise<Uint8Array>;
  /** The size of the weights file at a checked relative path; refuses files outside the directory. */
  size(path: string): Promise<number>;
  /** Fills `into` (exactly the file's size) with the file's bytes. */
  read(path: string, into: Uint8Array): Promise<void>;
}

/**
 * Reads tf.io ModelArtifacts from a model directory: parses model.json, checks every weights
 * path, and checks the weight specs against the files' total size before reading any of them.
 *
 * @param reader - Access to the directory's files.
 * @throws EffnetWeightsError for anything malformed or unsafe.
 */
export async function artifactsFromDirectory(reader: DirectoryReader): Promise<tf.io.ModelArtifacts> {
  const { json, paths, weightSpecs } = parseModelJson(await reader.manifest());
  const sizes: number[] = [];
  for (const p of paths) sizes.push(await reader.size(p));
  const total = sizes.reduce((n, size) => n + size, 0);
  checkWeightSpecs(weightSpecs, total);
  const data = new Uint8Array(total);
  let at = 0;
  for (const [i, p] of paths.entries()) {
    await reader.read(p, data.subarray(at, at + sizes[i]!));
    at += sizes[i]!;
  }
  return {
    modelTopology: json['modelTopology'] as object,
    weightSpecs: weightSpecs as tf.io.WeightsManifestEntry[],
    weightData: data.buffer,
    format: typeof json['format'] === 'string' ? json['format'] : undefined,
    generatedBy: typeof json['generatedBy'] === 'string' ? json['generatedBy'] : undefined,
  };
}

/**
 * A tf.io IOHandler over a model directory on the local file system (Node only).
 *
 * @param location - A directory (or its `model.json`), with or without the `file://` prefix.
 */
export function fileHandler(location: string): tf.io.IOHandler {
  const raw = location.startsWith('file://') ? location.slice('file://'.length) : location;
  if (raw.length === 0 || raw.includes('\0')) fail(`'${location}' is not a file system path`);
  const locate = async () => {
    const { path } = await node();
    const resolved = path.resolve(raw);
    return resolved.endsWith('.json') ? { dir: path.dirname(resolved), manifest: resolved } : { dir: resolved, manifest: path.join(resolved, 'model.json') };
  };
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const { fs, path, writeFileAtomic } = await node();
      const { dir, manifest } = await locate();
      const data = joinBuffers(artifacts.weightData ?? new ArrayBuffer(0));
      const json = JSON.stringify({
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      });
      await fs.mkdir(dir, { recursive: true });
      const atomicWrite = async (target: string, bytes: Uint8Array | string) => {
        try {
          await writeFileAtomic(target, typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        } catch (error) {
          throw new EffnetWeightsError('file://', `could not write ${target}: ${(error as Error).message}`);
        }
      };
      await atomicWrite(path.join(dir, WEIGHTS_FILE), data);
      await atomicWrite(manifest, json);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: data.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const { fs, path } = await node();
      const { dir, manifest } = await locate();
      const realDir = await fs.realpath(dir).catch(() => fail(`${dir} does not exist or cannot be read`));
      const stat = async (file: string) => {
        try {
          return await fs.lstat(file);
        } catch {
          return fail(`${file} does not exist or cannot be read`);
        }
      };
      return artifactsFromDirectory({
        async manifest() {
          const info = await stat(manifest);
          if (!info.isFile()) fail(`${manifest} is not a regular file (symlinks are refused)`);
          if (info.size > MAX_MODEL_JSON) fail(`${manifest} has ${info.size} bytes; at most ${MAX_MODEL_JSON} are accepted`);
          return new Uint8Array(await fs.readFile(manifest));
        },
        async size(p) {
          const file = path.join(dir, ...p.split('/'));
          const info = await stat(file);
          if (info.isSymbolicLink() || !info.isFile()) fail(`weights file '${p}' is not a regular file (symlinks are refused)`);
          const real = await fs.realpath(file);
          if (!real.startsWith(realDir + path.sep)) fail(`weights file '${p}' resolves outside the model directory`);
          return info.size;
        },
        async read(p, into) {
          const handle = await fs.open(path.join(dir, ...p.split('/')), 'r');
          try {
            const { bytesRead } = await handle.read(into, 0, into.byteLength, 0);
            if (bytesRead !== into.byteLength) fail(`weights file '${p}' changed while it was read`);
          } finally {
            await handle.close();
          }
        },
      });
    },
  };
}

// The manifest of an effnet weights file and the checks applied to one that was read back. A
// manifest is the `modelTopology` of tf.io's ModelArtifacts: {format: 'effnet-weights',
// formatVersion, spec}; the weights are tf.io weight specs (float32 only) over one data buffer. A
// reader treats all of it as hostile: every field is type-checked, shapes are bounded safe
// integers, names are unique, and the byte total implied by the specs must equal the data size
// before anything is allocated. Paths of a `model.json` weights manifest may not leave the model's
// directory (checkWeightPath).
import type { ModelSpec } from '@effnet/scaling';
import { EffnetWeightsError } from './errors.js';

/** The `format` of effnet weight manifests. */
export const WEIGHTS_FORMAT = 'effnet-weights';

/**
 * The newest manifest layout this version reads. Float32 files are written as layout 1; files
 * with quantised weights (float16, uint8 per tensor or per channel) as layout 2, which older
 * readers refuse with a clear error. Newer files are refused with a clear error.
 */
export const WEIGHTS_FORMAT_VERSION = 2;

/** Most blocks a manifest's spec may list (L2, the largest preset, has 130). */
const MAX_BLOCKS = 4096;

/** What `modelTopology` holds in an effnet weights file. */
export interface WeightsManifest {
  /** Always {@link WEIGHTS_FORMAT}. */
  format: typeof WEIGHTS_FORMAT;
  /** Layout version ({@link WEIGHTS_FORMAT_VERSION}). */
  formatVersion: number;
  /** The spec the weights belong to (the model can be rebuilt from it). */
  spec: ModelSpec;
}

/** How a stored weight is quantised (tf.io's per-tensor forms, and per-channel uint8). */
export type StoredQuantization =
  | { dtype: 'float16' }
  | { dtype: 'uint8'; scale: number; min: number }
  | { dtype: 'uint8'; axis: number; scales: number[]; zeroPoints: number[] };

/** One checked weight spec: its name, shape, and where its values lie in the data. */
export interface CheckedWeight {
  /** Variable name. */
  name: string;
  /** Shape. */
  shape: number[];
  /** Byte offset in the concatenated weight data. */
  offset: number;
  /** Element count. */
  count: number;
  /** Quantisation of the stored values (absent: float32). */
  quantization?: StoredQuantization;
}

function fail(message: string): never {
  throw new EffnetWeightsError('weights manifest', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof ArrayBuffer);
}

/**
 * Checks a manifest read back from storage.
 *
 * @param topology - The artifacts' `modelTopology`.
 * @returns The manifest.
 * @throws EffnetWeightsError when it is not an effnet manifest, is newer than this reader, or has no spec.
 */
export function parseManifest(topology: unknown): WeightsManifest {
  if (!isObject(topology)) fail('modelTopology is not a JSON object; this is not an effnet weights file (saveWeights writes one)');
  if (topology['format'] !== WEIGHTS_FORMAT) fail(`format is ${JSON.stringify(topology['format'])}, expected '${WEIGHTS_FORMAT}'`);
  const version = topology['formatVersion'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) fail(`formatVersion must be a positive integer, got ${JSON.stringify(version)}`);
  if (version > WEIGHTS_FORMAT_VERSION) fail(`formatVersion ${version} is newer than this @effnet/models reads (${WEIGHTS_FORMAT_VERSION}); upgrade @effnet/models`);
  const spec = topology['spec'];
  if (!isObject(spec) || !Array.isArray(spec['blocks']) || typeof spec['name'] !== 'string') fail('spec is missing or is not a ModelSpec');
  if (spec['blocks'].length > MAX_BLOCKS) fail(`spec has ${spec['blocks'].length} blocks; at most ${MAX_BLOCKS} are accepted`);
  return { format: WEIGHTS_FORMAT, formatVersion: version, spec: spec as unknown as ModelSpec };
}

/**
 * Checks tf.io weight specs against the size of the weight data: float32 only, no quantisation,
 * unique names, bounded shapes, and a byte total equal to the data size.
 *
 * @param specs - The artifacts' `weightSpecs`.
 * @param dataBytes - Size of the weight data.
 * @throws EffnetWeightsError naming the first bad entry.
 */
export function checkWeightSpecs(specs: unknown, dataBytes: number): CheckedWeight[] {
  if (!Array.isArray(specs)) fail('weightSpecs is not a list');
  const seen = new Set<string>();
  const out: CheckedWeight[] = [];
  let offset = 0;
  for (const [i, entry] of specs.entries()) {
    if (!isObject(entry)) fail(`weight ${i} is not an object {name, shape, dtype}`);
    const { name, shape, dtype } = entry;
    if (typeof name !== 'string' || name.length === 0 || name.length > 1024) fail(`weight ${i} has no valid name`);
    if (seen.has(name)) fail(`weight '${name}' is listed twice`);
    seen.add(name);
    if (dtype !== 'float32') fail(`weight '${name}' has dtype ${JSON.stringify(dtype)}; only float32 is allowed`);
    if (!Array.isArray(shape) || shape.length > 8 || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
      fail(`weight '${name}' has an invalid shape ${JSON.stringify(shape)} (at most 8 non-negative integers)`);
    }
    const quantization = entry['quantization'] === undefined ? undefined : checkQuantization(name, entry['quantization'], shape as number[]);
    const bytesPer = quantization === undefined ? 4 : quantization.dtype === 'float16' ? 2 : 1;
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(count) || count * bytesPer > dataBytes - offset) fail(`weight '${name}' of shape [${(shape as number[]).join(', ')}] runs past the ${dataBytes} bytes of weight data`);
    out.push({ name, shape: [...(shape as number[])], offset, count, ...(quantization ? { quantization } : {}) });
    offset += count * bytesPer;
  }
  if (offset !== dataBytes) fail(`the weights need ${offset} bytes, but the data has ${dataBytes}`);
  return out;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a weight's `quantization` field (float16; uint8 with scale and min; uint8 per channel). */
function checkQuantization(name: string, q: unknown, shape: number[]): StoredQuantization {
  if (!isObject(q)) fail(`weight '${name}' has a quantization that is not an object`);
  if (q['dtype'] === 'float16') return { dtype: 'float16' };
  if (q['dtype'] !== 'uint8') fail(`weight '${name}' is quantised as ${JSON.stringify(q['dtype'])}; this reader knows float16 and uint8`);
  if (q['axis'] === undefined) {
    if (!finite(q['scale']) || !finite(q['min'])) fail(`weight '${name}': uint8 quantisation needs finite scale and min`);
    return { dtype: 'uint8', scale: q['scale'], min: q['min'] };
  }
  const axis = q['axis'];
  const { scales, zeroPoints } = q;
  if (typeof axis !== 'number' || !Number.isSafeInteger(axis) || axis < 0 || axis >= shape.length) fail(`weight '${name}': per-channel axis ${JSON.stringify(axis)} is not an axis of its shape`);
  const channels = shape[axis]!;
  if (!Array.isArray(scales) || scales.length !== channels || !scales.every(finite)) fail(`weight '${name}': needs ${channels} finite per-channel scales`);
  if (!Array.isArray(zeroPoints) || zeroPoints.length !== channels || !zeroPoints.every((z) => Number.isInteger(z) && z >= 0 && z <= 255)) {
    fail(`weight '${name}': needs ${channels} per-channel zero points in 0…255`);
  }
  return { dtype: 'uint8', axis, scales: scales as number[], zeroPoints: zeroPoints as number[] };
}

/**
 * Checks a path of a `model.json` weights manifest: relative, plain `/`-separated names, no `.` or
 * `..` segment, no backslash, drive letter or NUL, so that it cannot leave the model's directory.
 *
 * @param path - The path as written in the manifest.
 * @throws EffnetWeightsError for anything else.
 */
export function checkWeightPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 255) fail(`weight path ${JSON.stringify(path)} must be a non-empty relative file name`);
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.includes('\\') || path.includes('\0') || /^[a-z][a-z0-9+.-]*:/i.test(path)) {
    fail(`weight path ${JSON.stringify(path)} is absolute or not a plain relative path; weight files must lie in the model's directory`);
  }
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) fail(`weight path ${JSON.stringify(path)} escapes or leaves the model's directory`);
  return path;
}

/** The first place where two JSON values differ, as a dotted path, or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = 'spec', depth = 0): string | null {
  if (Object.is(a, b)) return null;
  if (depth > 32) return `${path} (nested too deeply)`;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path} (${JSON.stringify(a)} vs ${JSON.stringify(b)})`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

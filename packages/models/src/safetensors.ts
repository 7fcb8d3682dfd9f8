// A safetensors reader written for hostile input. Format: an 8-byte little-endian header size, a
// UTF-8 JSON header {name: {dtype, shape, data_offsets}, __metadata__?}, then raw little-endian
// data. Checked before anything is allocated: the header size is bounded (100 MiB) and must fit
// the file; the header must be a JSON object whose entries have a whitelisted dtype, a shape of
// non-negative safe integers and offsets whose length equals dtype size × element count; the
// tensors must tile the data section exactly (sorted, contiguous, no gap, no overlap, nothing
// after), as the reference implementation requires. Values are decoded lazily, per tensor, so a
// reader allocates nothing that the file does not hold.
import { EffnetWeightsError } from './errors.js';
import { halfToFloat } from './quantize.js';

/** Largest header accepted (the reference implementation's limit). */
export const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024;

/** Element types the reader accepts (converted to float32 on reading). */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32';

const BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4 };

/** One tensor of a safetensors file. */
export interface SafeTensor {
  /** Element type in the file. */
  readonly dtype: SafetensorsDtype;
  /** Shape. */
  readonly shape: number[];
  /** Values converted to float32 (decoded on first access). */
  readonly values: Float32Array;
}

function fail(message: string): never {
  throw new EffnetWeightsError('safetensors', message);
}

function decode(view: DataView, at: number, count: number, dtype: SafetensorsDtype): Float32Array {
  const values = new Float32Array(count);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F32': values[i] = view.getFloat32(at + 4 * i, true); break;
      case 'F64': values[i] = view.getFloat64(at + 8 * i, true); break;
      case 'F16': values[i] = halfToFloat(view.getUint16(at + 2 * i, true)); break;
      case 'BF16': scratch.setUint32(0, view.getUint16(at + 2 * i, true) << 16); values[i] = scratch.getFloat32(0); break;
      case 'I32': values[i] = view.getInt32(at + 4 * i, true); break;
      case 'I64': values[i] = Number(view.getBigInt64(at + 8 * i, true)); break;
    }
  }
  return values;
}

/**
 * Parses a safetensors file.
 *
 * @param bytes - The whole file.
 * @returns Tensors by name (in file order); `values` are decoded on first access.
 * @throws EffnetWeightsError naming what is wrong (size, header, dtype, shape or offsets).
 */
export function readSafetensors(bytes: Uint8Array): Map<string, SafeTensor> {
  if (!(bytes instanceof Uint8Array)) fail(`expected the file's bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.byteLength < 8) fail(`file of ${bytes.byteLength} bytes is too short for the 8-byte header size`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_SAFETENSORS_HEADER) || 8n + declared > BigInt(bytes.byteLength)) {
    fail(`header size ${declared} does not fit a file of ${bytes.byteLength} bytes (at most ${MAX_SAFETENSORS_HEADER})`);
  }
  const headerSize = Number(declared);
  if (headerSize < 2 || bytes[8] !== 0x7b) fail('header must be a JSON object starting with {');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerSize)));
  } catch (error) {
    fail(`header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const dataStart = 8 + headerSize;
  const dataSize = bytes.byteLength - dataStart;
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number; count: number }[] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || Object.values(entry).some((v) => typeof v !== 'string')) fail('__metadata__ must be an object of strings');
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`tensor '${name}' is not an object {dtype, shape, data_offsets}`);
    const { dtype, shape, data_offsets: offsets } = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !Object.hasOwn(BYTES, dtype)) fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; allowed: ${Object.keys(BYTES).join(', ')}`);
    if (!Array.isArray(shape) || shape.length > 8 || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)} (at most 8 non-negative integers)`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataSize) fail(`tensor '${name}' data [${begin}, ${end}) lies outside the ${dataSize}-byte data section`);
    const size = BYTES[dtype as SafetensorsDtype];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(count * size) || end - begin !== count * size) {
      fail(`tensor '${name}' has ${end - begin} bytes, but ${dtype} × [${(shape as number[]).join(', ')}] needs ${count * size}`);
    }
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: [...(shape as number[])], begin, end, count });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const entry of sorted) {
    if (entry.begin !== expected) {
      fail(entry.begin < expected ? `tensor '${entry.name}' overlaps the tensor before it (starts at ${entry.begin}, expected ${expected})` : `gap of ${entry.begin - expected} bytes before tensor '${entry.name}'`);
    }
    expected = entry.end;
  }
  if (expected !== dataSize) fail(`the tensors cover ${expected} of the ${dataSize} data bytes; the file is truncated or has trailing bytes`);
  const tensors = new Map<string, SafeTensor>();
  for (const { name, dtype, shape, begin, count } of entries) {
    let cached: Float32Array | null = null;
    tensors.set(name, {
      dtype,
      shape,
      get values() {
        cached ??= decode(view, dataStart + begin, count, dtype);
        return cached;
      },
    });
  }
  return tensors;
}

/**
 * Writes tensors as a safetensors file (float32, names in the given order, header padded to 8 bytes).
 *
 * @param tensors - name → {shape, values}.
 * @returns The file's bytes.
 * @throws EffnetWeightsError when a tensor's value count does not match its shape.
 */
export function writeSafetensors(tensors: ReadonlyMap<string, { shape: readonly number[]; values: ArrayLike<number> }>): Uint8Array {
  const header: Record<string, { dtype: 'F32'; shape: number[]; data_offsets: [number, number] }> = {};
  let offset = 0;
  for (const [name, { shape, values }] of tensors) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== values.length) throw new EffnetWeightsError('safetensors', `tensor '${name}' has ${values.length} values for shape [${shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(raw.byteLength + ((8 - (raw.byteLength % 8)) % 8)).fill(0x20);
  head.set(raw);
  const out = new Uint8Array(8 + head.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let at = 8 + head.byteLength;
  for (const { values } of tensors.values()) {
    for (let i = 0; i < values.length; i++, at += 4) view.setFloat32(at, values[i]!, true);
  }
  return out;
}

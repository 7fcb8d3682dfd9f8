// A safetensors reader written for hostile input: the header length is bounded and checked
// against the file size before anything is allocated, the header must be a JSON object of
// {dtype, shape, data_offsets}, dtypes are whitelisted, every offset range must lie in the data
// section, match dtype × shape and not overlap another. Format: 8-byte little-endian header size,
// JSON header, raw little-endian data.
import { EffnetWeightsError } from './errors.js';

/** One tensor of a safetensors file, as float32. */
export interface SafeTensor {
  /** Shape. */
  shape: number[];
  /** Values, converted to float32. */
  values: Float32Array;
}

const MAX_HEADER = 100 * 1024 * 1024;
const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4 };

function fail(message: string): never {
  throw new EffnetWeightsError('safetensors', message);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Parses a safetensors file; throws `EffnetWeightsError` naming what is wrong. */
export function readSafetensors(bytes: Uint8Array): Map<string, SafeTensor> {
  if (bytes.byteLength < 8) fail(`file of ${bytes.byteLength} bytes is too short for a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = Number(view.getBigUint64(0, true));
  if (headerSize > MAX_HEADER || 8 + headerSize > bytes.byteLength) fail(`header size ${headerSize} does not fit a file of ${bytes.byteLength} bytes`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerSize)));
  } catch (error) {
    fail(`header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const dataStart = 8 + headerSize;
  const dataSize = bytes.byteLength - dataStart;
  const ranges: [number, number, string][] = [];
  const tensors = new Map<string, SafeTensor>();
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !(dtype in BYTES)) fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; allowed: ${Object.keys(BYTES).join(', ')}`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) fail(`tensor '${name}' has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (begin > end || end > dataSize) fail(`tensor '${name}' data [${begin}, ${end}) lies outside the ${dataSize}-byte data section`);
    if (end - begin !== count * BYTES[dtype]!) fail(`tensor '${name}' has ${end - begin} bytes, but ${dtype} × [${(shape as number[]).join(', ')}] needs ${count * BYTES[dtype]!}`);
    ranges.push([begin, end, name]);
    const at = dataStart + begin;
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      switch (dtype) {
        case 'F32': values[i] = view.getFloat32(at + 4 * i, true); break;
        case 'F64': values[i] = view.getFloat64(at + 8 * i, true); break;
        case 'F16': values[i] = halfToFloat(view.getUint16(at + 2 * i, true)); break;
        case 'BF16': values[i] = new Float32Array(new Uint32Array([view.getUint16(at + 2 * i, true) << 16]).buffer)[0]!; break;
        case 'I32': values[i] = view.getInt32(at + 4 * i, true); break;
        case 'I64': values[i] = Number(view.getBigInt64(at + 8 * i, true)); break;
      }
    }
    tensors.set(name, { shape: shape as number[], values });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]![0] < ranges[i - 1]![1]) fail(`tensors '${ranges[i - 1]![2]}' and '${ranges[i]![2]}' overlap`);
  }
  return tensors;
}

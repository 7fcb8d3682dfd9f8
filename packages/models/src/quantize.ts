// Weight quantisation shared by saveWeights and the exporters: float16 (IEEE half, round to
// nearest even), or uint8 affine, x ≈ (q − zeroPoint)·scale, with one scale and zero point per
// tensor or per channel (along a given axis). The range is widened to include 0 so that zero is
// exact (padding and ReLU outputs stay exact), as ONNX's and TFLite's affine schemes do.
import { EffnetWeightsError } from './errors.js';

/** A quantisation setting. */
export type WeightQuantization = { dtype: 'float16' } | { dtype: 'uint8'; granularity: 'tensor' | 'channel' };

/** One quantised tensor. */
export interface QuantizedTensor {
  /** Storage type. */
  dtype: 'float16' | 'uint8';
  /** The stored values (half-float bits, or uint8 codes). */
  data: Uint16Array | Uint8Array;
  /** uint8: the scale of each group (one, or one per channel); float16: empty. */
  scales: Float32Array;
  /** uint8: the zero point of each group; float16: empty. */
  zeroPoints: Uint8Array;
}

/**
 * Checks a quantisation setting given by a user.
 *
 * @throws EffnetWeightsError naming the accepted settings.
 */
export function checkQuantization(value: unknown): WeightQuantization {
  const q = value as Partial<{ dtype: unknown; granularity: unknown }> | null;
  if (q && q.dtype === 'float16') return { dtype: 'float16' };
  if (q && q.dtype === 'uint8' && (q.granularity === 'tensor' || q.granularity === 'channel')) return { dtype: 'uint8', granularity: q.granularity };
  throw new EffnetWeightsError('quantize', `expected { dtype: 'float16' } or { dtype: 'uint8', granularity: 'tensor' | 'channel' }, got ${JSON.stringify(value)}`);
}

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 half-float bits of `value`, rounded to nearest even (overflow → ±Infinity). */
export function floatToHalf(value: number): number {
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (rest > midpoint || (rest === midpoint && half & 1) ? half + 1 : half);
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half);
}

/** The value of half-float bits. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Group (channel) of each flat index along `axis` of `shape`, and the group count. */
function groupsOf(shape: readonly number[], axis: number | null): { count: number; of: (i: number) => number } {
  if (axis === null) return { count: 1, of: () => 0 };
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const count = shape[axis]!;
  return { count, of: (i) => Math.floor(i / inner) % count };
}

/**
 * Quantises float32 values.
 *
 * @param values - Row-major values of `shape`.
 * @param shape - The tensor's shape.
 * @param quantization - The setting.
 * @param channelAxis - The channel axis for per-channel uint8 (ignored otherwise).
 * @throws EffnetWeightsError for a NaN or infinite value (it cannot be quantised).
 */
export function quantize(values: Float32Array, shape: readonly number[], quantization: WeightQuantization, channelAxis: number): QuantizedTensor {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new EffnetWeightsError('quantize', `value ${bad} is ${values[bad]}; only finite weights can be quantised`);
  if (quantization.dtype === 'float16') return { dtype: 'float16', data: Uint16Array.from(values, floatToHalf), scales: new Float32Array(0), zeroPoints: new Uint8Array(0) };
  const groups = groupsOf(shape, quantization.granularity === 'channel' ? channelAxis : null);
  const min = new Float64Array(groups.count);
  const max = new Float64Array(groups.count);
  values.forEach((v, i) => {
    const g = groups.of(i);
    min[g] = Math.min(min[g]!, v);
    max[g] = Math.max(max[g]!, v);
  });
  const scales = Float32Array.from(min, (lo, g) => (max[g]! - lo) / 255 || 1);
  const zeroPoints = Uint8Array.from(min, (lo, g) => Math.min(255, Math.max(0, Math.round(-lo / scales[g]!))));
  const data = Uint8Array.from(values, (v, i) => {
    const g = groups.of(i);
    return Math.min(255, Math.max(0, Math.round(v / scales[g]!) + zeroPoints[g]!));
  });
  return { dtype: 'uint8', data, scales, zeroPoints };
}

/**
 * The float32 values a quantised tensor stands for.
 *
 * @param q - The quantised tensor.
 * @param shape - Its shape.
 * @param channelAxis - The axis its per-channel scales run along (when it has more than one).
 */
export function dequantize(q: QuantizedTensor, shape: readonly number[], channelAxis: number): Float32Array {
  if (q.dtype === 'float16') return Float32Array.from(q.data, halfToFloat);
  const groups = groupsOf(shape, q.scales.length > 1 ? channelAxis : null);
  return Float32Array.from(q.data, (code, i) => {
    const g = groups.of(i);
    return (code - q.zeroPoints[g]!) * q.scales[g]!;
  });
}

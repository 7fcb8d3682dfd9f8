// Quantised storage of saveWeights: kernels (conv, depthwise and linear weights) as float16 or
// uint8, per tensor (tf.io's `quantization: {dtype, scale, min}`) or per output channel (the
// channel's scales and zero points in the spec); every other variable (biases, BN parameters and
// statistics, fusion weights) stays float32. Decoding gives the float32 values the codes stand for.
import type * as tf from '@tensorflow/tfjs-core';
import { dequantize, quantize, type WeightQuantization } from './quantize.js';
import type { CheckedWeight, StoredQuantization } from './weights-manifest.js';

/** Output-channel axis of a kernel: the last, or 2 for a depthwise kernel [k, k, C, 1]. */
function channelAxis(shape: readonly number[]): number {
  return shape.length === 4 && shape[3] === 1 ? 2 : shape.length - 1;
}

/** Whether a variable is a kernel that quantisation applies to. */
function quantizable(name: string, shape: readonly number[]): boolean {
  return name.endsWith('.kernel') && shape.length >= 2;
}

/** Encodes named variables: weight specs and the concatenated data. */
export async function encodeQuantized(
  entries: { name: string; tensor: tf.Tensor }[],
  quantization: WeightQuantization,
): Promise<{ specs: (tf.io.WeightsManifestEntry & { quantization?: StoredQuantization })[]; data: ArrayBuffer }> {
  const parts: Uint8Array[] = [];
  const specs: (tf.io.WeightsManifestEntry & { quantization?: StoredQuantization })[] = [];
  for (const { name, tensor } of entries) {
    const values = (await tensor.data()) as Float32Array;
    const shape = [...tensor.shape];
    if (!quantizable(name, shape)) {
      specs.push({ name, shape, dtype: 'float32' });
      parts.push(new Uint8Array(Float32Array.from(values).buffer));
      continue;
    }
    const axis = channelAxis(shape);
    const q = quantize(values, shape, quantization, axis);
    const stored: StoredQuantization =
      q.dtype === 'float16'
        ? { dtype: 'float16' }
        : q.scales.length === 1
          ? { dtype: 'uint8', scale: q.scales[0]!, min: -q.zeroPoints[0]! * q.scales[0]! }
          : { dtype: 'uint8', axis, scales: [...q.scales], zeroPoints: [...q.zeroPoints] };
    specs.push({ name, shape, dtype: 'float32', quantization: stored });
    parts.push(new Uint8Array(q.data.buffer, q.data.byteOffset, q.data.byteLength));
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.byteLength;
  }
  return { specs, data: data.buffer };
}

/** The float32 values of one checked weight. */
export function decodeWeight(w: CheckedWeight, data: ArrayBuffer): Float32Array {
  const q = w.quantization;
  if (!q) return new Float32Array(data.slice(w.offset, w.offset + 4 * w.count));
  if (q.dtype === 'float16') {
    const codes = new Uint16Array(data.slice(w.offset, w.offset + 2 * w.count));
    return dequantize({ dtype: 'float16', data: codes, scales: new Float32Array(0), zeroPoints: new Uint8Array(0) }, w.shape, 0);
  }
  const codes = new Uint8Array(data.slice(w.offset, w.offset + w.count));
  if ('axis' in q) return dequantize({ dtype: 'uint8', data: codes, scales: Float32Array.from(q.scales), zeroPoints: Uint8Array.from(q.zeroPoints) }, w.shape, q.axis);
  return Float32Array.from(codes, (c) => c * q.scale + q.min);
}

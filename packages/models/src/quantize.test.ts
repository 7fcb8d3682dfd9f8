// Quantisation maths: IEEE half floats bit for bit (rounding ties to even, subnormals, overflow),
// uint8 affine per tensor and per channel with zero exact and errors within half a step.
import { describe, expect, it } from 'vitest';
import { EffnetWeightsError } from './errors.js';
import { checkQuantization, dequantize, floatToHalf, halfToFloat, quantize } from './quantize.js';

describe('float16', () => {
  it('encodes known values bit for bit', () => {
    expect([1, -2, 0.5, 65504, 65520, 1e-8, 2 ** -24, 2 ** -14, Infinity].map(floatToHalf)).toEqual([0x3c00, 0xc000, 0x3800, 0x7bff, 0x7c00, 0x0000, 0x0001, 0x0400, 0x7c00]);
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Number.isNaN(halfToFloat(floatToHalf(Number.NaN)))).toBe(true);
  });

  it('round-trips every finite half exactly', () => {
    for (let bits = 0; bits < 0x7c00; bits++) expect(floatToHalf(halfToFloat(bits))).toBe(bits);
  });
});

describe('uint8 affine', () => {
  const values = Float32Array.from([-1, 0, 0.5, 2, -0.25, 0, 0.125, 0.375]);
  it('per tensor: zero is exact, every error within half a step', () => {
    const q = quantize(values, [2, 4], { dtype: 'uint8', granularity: 'tensor' }, 1);
    expect(q.scales).toHaveLength(1);
    const back = dequantize(q, [2, 4], 1);
    expect(back[1]).toBe(0);
    values.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(q.scales[0]! / 2 + 1e-7));
  });

  it('per channel (last axis): one scale per channel, each channel within half its own step', () => {
    const q = quantize(values, [2, 4], { dtype: 'uint8', granularity: 'channel' }, 1);
    expect(q.scales).toHaveLength(4);
    expect(q.scales[1]).toBe(1);
    const back = dequantize(q, [2, 4], 1);
    values.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(q.scales[i % 4]! / 2 + 1e-7));
  });

  it('refuses NaN weights and unknown settings', () => {
    expect(() => quantize(Float32Array.from([1, Number.NaN]), [2], { dtype: 'float16' }, 0)).toThrow(/value 1 is NaN/);
    expect(() => checkQuantization({ dtype: 'int8' })).toThrow(EffnetWeightsError);
    expect(() => checkQuantization({ dtype: 'uint8' })).toThrow(/granularity/);
  });
});

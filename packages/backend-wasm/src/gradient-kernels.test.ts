// Parity of the wasm gradient kernels with tfjs-backend-cpu's over a seeded sweep of shapes (the
// dense filter and input gradients by effnet's SIMD kernels where Cout, resp. Cin, is a multiple of
// 8, else by XNNPACK),
// strides, kernel sizes, paddings (same, valid, explicit) and channel multipliers; the same for
// the Conv2DBackpropInput that replaces tfjs-backend-wasm's own, and its channels-first fallback;
// the BatchMatMul that replaces it for transposed operands (a linear layer's gradients).
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, seeded, useWasmForTests } from '../test/wasm-setup.js';
import { registerWasmGradientKernels } from './register-kernels.js';
import { conv2dBackpropInputConfig, conv2dBackpropInputStock } from './kernels/conv2d-backprop-input.js';

interface Case {
  kernel: string;
  inputs: Record<string, { shape: number[]; values: Float32Array }>;
  attrs: NamedAttrMap;
  label: string;
}

const ADDED_KERNELS = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'] as const;

function makeCases(count: number, seed: number, large = false, kinds: readonly string[] = ADDED_KERNELS): Case[] {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const fill = (shape: number[]) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = rand() * 2 - 1;
    return { shape, values };
  };
  const cases: Case[] = [];
  for (let k = 0; k < count; k++) {
    const kernelSize = pick([1, 3, 5]);
    const stride = pick([1, 2]);
    const n = pick([1, 2, 3]);
    const h = pick(large ? [15, 16, 17] : [5, 6, 7, 8, 9]);
    const w = pick(large ? [15, 16, 17] : [5, 6, 7, 8, 9]);
    const inC = pick(large ? [8, 16, 24] : [1, 2, 3, 4, 8]);
    const padKind = pick(['same', 'valid', 'explicit'] as const);
    const explicit = [
      [0, 0],
      [Math.floor(rand() * 3), Math.floor(rand() * 3)],
      [Math.floor(rand() * 3), Math.floor(rand() * 3)],
      [0, 0],
    ];
    const pad = padKind === 'explicit' ? explicit : padKind;
    const kind = pick(kinds);
    const dense = kind === 'Conv2DBackpropFilter' || kind === 'Conv2DBackpropInput';
    const mult = dense ? pick(large ? [16, 32] : [1, 4, 5, 8]) : pick([1, 2]);
    const dilation = 1;
    const filterShape = [kernelSize, kernelSize, inC, mult];
    const info = tf.backend_util.computeConv2DInfo(
      [n, h, w, inC],
      filterShape as [number, number, number, number],
      stride,
      dilation,
      pad as 'same',
      undefined,
      !dense,
    );
    if (info.outHeight <= 0 || info.outWidth <= 0) continue;
    const dy = fill(info.outShape);
    const label = `${kind} x=[${n},${h},${w},${inC}] k=${kernelSize} s=${stride} d=${dilation} m=${mult} pad=${JSON.stringify(pad)}`;
    const common = { strides: [stride, stride], pad, dimRoundingMode: undefined } as unknown as NamedAttrMap;
    if (kind === 'Conv2DBackpropInput') {
      // mult is the output channel count here; the filter is [k, k, inC, outC].
      cases.push({ kernel: kind, label, inputs: { dy, filter: fill(filterShape) }, attrs: { ...common, dataFormat: 'NHWC', inputShape: [n, h, w, inC] } });
    } else if (kind === 'Conv2DBackpropFilter' && padKind !== 'explicit' && rand() < 0.25) {
      // Channels-first: the same maths on transposed layouts.
      const [, oh, ow, oc] = info.outShape;
      cases.push({
        kernel: kind,
        label: `${label} NCHW`,
        inputs: { x: fill([n, inC, h, w]), dy: fill([n, oc, oh, ow]) },
        attrs: { ...common, dataFormat: 'NCHW', filterShape },
      });
    } else if (kind === 'Conv2DBackpropFilter') {
      cases.push({ kernel: kind, label, inputs: { x: fill([n, h, w, inC]), dy }, attrs: { ...common, dataFormat: 'NHWC', filterShape } });
    } else if (kind === 'DepthwiseConv2dNativeBackpropFilter') {
      cases.push({ kernel: kind, label, inputs: { x: fill([n, h, w, inC]), dy }, attrs: { ...common, dilations: [dilation, dilation], filterShape } });
    } else {
      cases.push({ kernel: kind, label, inputs: { dy, filter: fill(filterShape) }, attrs: { ...common, dilations: [dilation, dilation], inputShape: [n, h, w, inC] } });
    }
  }
  return cases;
}

async function runOn(backend: string, c: Case): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
  const out = tf.engine().runKernel(c.kernel, inputs, c.attrs) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  tf.dispose([out, ...Object.values(inputs)]);
  return { shape, values };
}

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    await useWasmForTests();
    registerWasmGradientKernels();
  });

  it('sweep covers every kernel, both strides, kernels 1/3/5, all paddings and multipliers', () => {
    const cases = makeCases(150, 20251125);
    for (const text of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 's=1', 's=2', 'k=1', 'k=3', 'k=5', '"same"', '"valid"', 'pad=[[', 'm=2', 'm=8', 'Filter x=[1,', 'Filter x=[3,', 'NCHW']) {
      expect(cases.some((c) => c.label.includes(text)), text).toBe(true);
    }
  });

  it('equal tfjs-cpu within 1e-4 relative on 150 seeded random cases', async () => {
    const failures: string[] = [];
    for (const c of makeCases(150, 20251125)) {
      const expected = await runOn('cpu', c);
      const actual = await runOn('wasm', c);
      expect(actual.shape, c.label).toEqual(expected.shape);
      const err = maxRelativeError(actual.values, expected.values);
      if (!(err <= 1e-4)) failures.push(`${c.label}: ${err}`);
    }
    expect(failures).toEqual([]);
  });

  it('equal tfjs-cpu within 1e-4 relative on 24 larger cases (16×16, up to 32 channels)', async () => {
    const failures: string[] = [];
    for (const c of makeCases(24, 7, true)) {
      const expected = await runOn('cpu', c);
      const actual = await runOn('wasm', c);
      expect(actual.shape, c.label).toEqual(expected.shape);
      const err = maxRelativeError(actual.values, expected.values);
      if (!(err <= 1e-4)) failures.push(`${c.label}: ${err}`);
    }
    expect(failures).toEqual([]);
  });

  it('Conv2DBackpropInput sweep covers both strides, kernels 1/3/5, all paddings, and input channels for the SIMD kernel (8) and for XNNPACK (3)', () => {
    const cases = makeCases(120, 20261126, false, ['Conv2DBackpropInput']);
    for (const text of ['s=1', 's=2', 'k=1', 'k=3', 'k=5', '"same"', '"valid"', 'pad=[[', 'x=[1,', 'x=[3,', 'm=1', 'm=5', ',8] k=', ',3] k=']) {
      expect(cases.some((c) => c.label.includes(text)), text).toBe(true);
    }
  });

  it('Conv2DBackpropInput (SIMD kernel and XNNPACK) equals tfjs-cpu within 1e-4 relative on 120 seeded cases and 24 larger ones', async () => {
    expect(getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2dBackpropInputConfig.kernelFunc);
    const failures: string[] = [];
    const cases = [...makeCases(120, 20261126, false, ['Conv2DBackpropInput']), ...makeCases(24, 11, true, ['Conv2DBackpropInput'])];
    expect(cases.length).toBeGreaterThan(130);
    for (const c of cases) {
      const expected = await runOn('cpu', c);
      const actual = await runOn('wasm', c);
      expect(actual.shape, c.label).toEqual(expected.shape);
      const err = maxRelativeError(actual.values, expected.values);
      if (!(err <= 1e-4)) failures.push(`${c.label}: ${err}`);
    }
    expect(failures).toEqual([]);
  });

  it('Conv2DBackpropInput hands channels-first data to the stock kernel, which equals cpu', async () => {
    expect(conv2dBackpropInputStock.adopted).toBe(true);
    const rand = seeded(3);
    const fill = (shape: number[]) => ({ shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1) });
    const c: Case = {
      kernel: 'Conv2DBackpropInput',
      label: 'NCHW',
      inputs: { dy: fill([2, 3, 4, 4]), filter: fill([3, 3, 2, 3]) },
      attrs: { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', inputShape: [2, 2, 7, 7] } as unknown as NamedAttrMap,
    };
    const expected = await runOn('cpu', c);
    const actual = await runOn('wasm', c);
    expect(actual.shape).toEqual([2, 2, 7, 7]);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThanOrEqual(1e-4);
  });

  it('a Conv2DBackpropInput dy that does not match the convolution is refused with EffnetBackendError', async () => {
    await tf.setBackend('wasm');
    const dy = tf.ones([1, 4, 4, 3]);
    const filter = tf.ones([3, 3, 2, 3]);
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', inputShape: [1, 6, 6, 2] } as unknown as NamedAttrMap;
    expect(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs)).toThrow(
      "backend 'wasm': Conv2DBackpropInput: dy has shape [1, 4, 4, 3] but the convolution's output is [1, 6, 6, 3]",
    );
    tf.dispose([dy, filter]);
    await tf.setBackend('cpu');
  });

  it('a dy that does not match the convolution is refused with EffnetBackendError', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([1, 6, 6, 2]);
    const dy = tf.ones([1, 5, 6, 3]);
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] } as unknown as NamedAttrMap;
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs)).toThrow(
      "Conv2DBackpropFilter: dy has shape [1, 5, 6, 3] but the convolution's output is [1, 6, 6, 3]",
    );
    tf.dispose([x, dy]);
    await tf.setBackend('cpu');
  });

  it('dilated depthwise gradients are refused with EffnetBackendError', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([1, 6, 6, 2]);
    const dy = tf.ones([1, 6, 6, 2]);
    const attrs = { strides: [1, 1], dilations: [2, 2], pad: 'same', filterShape: [3, 3, 2, 1] } as unknown as NamedAttrMap;
    expect(() => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs)).toThrow(
      "backend 'wasm': DepthwiseConv2dNativeBackpropFilter with dilations [2, 2] is not supported",
    );
    tf.dispose([x, dy]);
    await tf.setBackend('cpu');
  });
  it('BatchMatMul with transposed operands equals tfjs-cpu within 1e-5 relative (single and batched products, ranks 2-4), without leaking', () => {
    const rand = seeded(20261209);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const worst: Record<string, number> = {};
    tf.setBackend('wasm');
    const [buffers, tensors] = [tf.backend().numDataIds(), tf.memory().numTensors];
    for (let k = 0; k < 60; k++) {
      const [m, inner, n] = [pick([1, 3, 16, 37]), pick([1, 5, 64, 129]), pick([2, 10, 48, 97])];
      const outer = pick([[], [1], [1, 1], [2], [3, 1]]);
      const [transposeA, transposeB] = [rand() < 0.5, rand() < 0.5];
      const aShape = [...outer, ...(transposeA ? [inner, m] : [m, inner])];
      const bShape = [...(rand() < 0.5 ? outer : outer.map(() => 1)), ...(transposeB ? [n, inner] : [inner, n])];
      const values = (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1);
      const [av, bv] = [values(aShape), values(bShape)];
      const read = (backend: string) => {
        tf.setBackend(backend);
        const [a, b] = [tf.tensor(av, aShape), tf.tensor(bv, bShape)];
        const out = tf.matMul(a, b, transposeA, transposeB);
        const result = { shape: out.shape, values: out.dataSync() };
        tf.dispose([a, b, out]);
        return result;
      };
      const expected = read('cpu');
      const actual = read('wasm');
      expect(actual.shape).toEqual(expected.shape);
      const label = `${outer.length > 0 && outer.some((d) => d > 1) ? 'batched' : 'single'} ${transposeA ? 'aᵀ' : 'a'}·${transposeB ? 'bᵀ' : 'b'}`;
      worst[label] = Math.max(worst[label] ?? 0, maxRelativeError(actual.values, expected.values));
    }
    tf.setBackend('wasm');
    expect(Object.keys(worst).sort()).toEqual(['batched a·b', 'batched a·bᵀ', 'batched aᵀ·b', 'batched aᵀ·bᵀ', 'single a·b', 'single a·bᵀ', 'single aᵀ·b', 'single aᵀ·bᵀ']);
    for (const [label, error] of Object.entries(worst)) expect(error, label).toBeLessThan(1e-5);
    expect(tf.backend().numDataIds()).toBe(buffers);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

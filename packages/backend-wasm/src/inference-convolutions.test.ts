// EffnetPointwiseConv and EffnetDepthwiseConv on the wasm backend (what @effnet/blocks'
// pointwiseConvForward and depthwiseConvForward call for the fused inference form): seeded sweeps
// against tfjs-cpu's fused convolutions with explicit pads and SiLU composed as x·σ(x), through
// effnet's SIMD kernels (sigmoid and SiLU applied to their output) and through the fallback
// (FusedConv2D or FusedDepthwiseConv2D, then EffnetSilu), without leaking; bad activations refused.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { leakCheck, maxRelativeError, seeded, useWasmForTests } from '../test/wasm-setup.js';
import { registerWasmGradientKernels } from './register-kernels.js';

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'silu'] as const;
type Activation = (typeof ACTIVATIONS)[number];

interface Case {
  kernel: 'EffnetPointwiseConv' | 'EffnetDepthwiseConv';
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  activation: Activation;
  withBias: boolean;
  /** Whether NaN may appear in x (the SIMD paths propagate it as tfjs-cpu does; XNNPACK's fallback does not). */
  nan: boolean;
}

/** tfjs-cpu's reference: the fused op with explicit pads, SiLU as x·σ(x) after it. */
function reference(c: Case, x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined): tf.Tensor {
  const pad = [[0, 0], [c.pads[0], c.pads[1]], [c.pads[2], c.pads[3]], [0, 0]] as tf.backend_util.ExplicitPadding;
  const activation = c.activation === 'silu' ? 'linear' : c.activation;
  // tfjs-core's typings leave explicit pads out of fused.depthwiseConv2d, which takes them as conv2d does.
  const args = { x, filter, strides: c.strides, pad: pad as unknown as 'valid', bias, activation };
  const y = c.kernel === 'EffnetPointwiseConv' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args);
  return c.activation === 'silu' ? tf.mul(y, tf.sigmoid(y)) : y;
}

/** How the kernel's output on wasm differs from the reference on cpu beyond 1e-5 relative (NaN where the reference has it), or null. */
function mismatch(c: Case, rand: () => number): string | null {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const xv = Float32Array.from({ length: size(c.xShape) }, () => (c.nan && rand() < 0.003 ? Number.NaN : (rand() * 2 - 1) * 3));
  const fv = Float32Array.from({ length: size(c.filterShape) }, () => rand() * 2 - 1);
  const outChannels = c.kernel === 'EffnetPointwiseConv' ? c.filterShape[3] : c.filterShape[2];
  const bv = Float32Array.from({ length: outChannels }, () => rand() * 2 - 1);
  const read = (backend: 'wasm' | 'cpu') => {
    tf.setBackend(backend);
    const x = tf.tensor4d(xv, c.xShape);
    const filter = tf.tensor4d(fv, c.filterShape);
    const bias = c.withBias ? tf.tensor1d(bv) : undefined;
    const inputs: tf.NamedTensorMap = bias === undefined ? { x, filter } : { x, filter, bias };
    const out = tf.tidy(() =>
      backend === 'wasm' ? (tf.engine().runKernel(c.kernel, inputs, { activation: c.activation, strides: c.strides, pads: c.pads }) as tf.Tensor) : reference(c, x, filter, bias),
    );
    const result = { shape: out.shape, values: out.dataSync() as Float32Array };
    tf.dispose([x, filter, out, ...(bias ? [bias] : [])]);
    return result;
  };
  const [actual, expected] = [read('wasm'), read('cpu')];
  const nanAt = (v: Float32Array) => Array.from(v, (e, i) => (Number.isNaN(e) ? i : -1)).filter((i) => i >= 0).join();
  const finite = (v: Float32Array) => v.map((e) => (Number.isNaN(e) ? 0 : e));
  const worst = maxRelativeError(finite(actual.values), finite(expected.values));
  if (actual.shape.join() === expected.shape.join() && nanAt(actual.values) === nanAt(expected.values) && worst <= 1e-5) return null;
  return `shape [${actual.shape}] vs [${expected.shape}], error ${worst}, NaN at ${nanAt(actual.values)} vs ${nanAt(expected.values)}`;
}

/**
 * 100 draws of `draw` (a case, whether the SIMD path takes it, and its label; null to skip), each
 * compared with the reference: expects no mismatch, every activation through both paths, and no
 * leaked buffer or tensor.
 */
function sweep(seed: number, draw: (pick: <T>(xs: readonly T[]) => T, rand: () => number) => { c: Case; simd: boolean; label: string } | null): void {
  const rand = seeded(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const failures: string[] = [];
  const paths = new Set<string>();
  const expectNoLeaks = leakCheck();
  for (let k = 0; k < 100; k++) {
    const drawn = draw(pick, rand);
    if (drawn === null) continue;
    paths.add(`${drawn.simd ? 'simd' : 'fallback'} ${drawn.c.activation}`);
    const found = mismatch(drawn.c, rand);
    if (found !== null) failures.push(`${drawn.label}: ${found}`);
  }
  tf.setBackend('wasm');
  expect(failures).toEqual([]);
  // Every activation went through both paths.
  expect(paths.size).toBe(2 * ACTIVATIONS.length);
  expectNoLeaks();
}

describe('effnet inference convolutions on the wasm backend', () => {
  beforeAll(async () => {
    await useWasmForTests();
    registerWasmGradientKernels();
  });

  it('EffnetPointwiseConv equals tfjs-cpu fused conv2d (+ x·σ(x) for SiLU) within 1e-5 relative over 100 seeded cases, by the SIMD product (output channels a multiple of 8, NaN included) and by FusedConv2D, without leaking', () => {
    sweep(20261206, (pick, rand) => {
      const [n, h, w] = [pick([1, 2]), pick([1, 3, 7, 14]), pick([1, 2, 7, 9])];
      const [inC, outC] = [pick([2, 4, 16, 24, 96]), pick([8, 16, 24, 40, 4, 12, 6])];
      const activation = pick(ACTIVATIONS);
      const simd = outC % 8 === 0;
      const c: Case = { kernel: 'EffnetPointwiseConv', xShape: [n, h, w, inC], filterShape: [1, 1, inC, outC], strides: [1, 1], pads: [0, 0, 0, 0], activation, withBias: rand() < 0.8, nan: simd };
      return { c, simd, label: `[${c.xShape}] → ${outC} ${activation}${c.withBias ? ' bias' : ''}` };
    });
  });

  it('EffnetDepthwiseConv equals tfjs-cpu fused depthwiseConv2d with explicit pads (+ x·σ(x) for SiLU) within 1e-5 relative over 100 seeded cases, by the SIMD kernel (channels a multiple of 4, NaN included) and by FusedDepthwiseConv2D, without leaking', () => {
    sweep(20261207, (pick, rand) => {
      const [n, h, w] = [pick([1, 2]), pick([3, 5, 8, 13]), pick([3, 6, 9, 16])];
      const ch = pick([4, 8, 12, 32, 3, 6]);
      const size = pick([3, 5]);
      const stride = pick([1, 2]);
      // TensorFlow's 'same' for odd sizes, asymmetric where a stride of 2 meets an even size, or none
      const pads = pick([[(size - 1) / 2, (size - 1) / 2, (size - 1) / 2, (size - 1) / 2], [0, 1, 0, 1], [1, 2, 2, 1], [0, 0, 0, 0]] as const);
      if (h + pads[0] + pads[1] < size || w + pads[2] + pads[3] < size) return null;
      const activation = pick(ACTIVATIONS);
      const simd = ch % 4 === 0;
      const c: Case = { kernel: 'EffnetDepthwiseConv', xShape: [n, h, w, ch], filterShape: [size, size, ch, 1], strides: [stride, stride], pads: [...pads], activation, withBias: rand() < 0.8, nan: simd };
      return { c, simd, label: `[${c.xShape}] k=${size} s=${stride} pads=${pads} ${activation}${c.withBias ? ' bias' : ''}` };
    });
  });

  it('refuse an activation they do not apply, missing inputs, and negative pads or strides below 1, with EffnetBackendError', () => {
    tf.setBackend('wasm');
    const x = tf.ones([1, 2, 2, 8]);
    const filter = tf.ones([1, 1, 8, 8]);
    const gelu = () => tf.engine().runKernel('EffnetPointwiseConv', { x, filter }, { activation: 'gelu' });
    expect(gelu).toThrow(EffnetBackendError);
    expect(gelu).toThrow(/EffnetPointwiseConv applies linear, relu, relu6, sigmoid, silu; got the activation 'gelu'/);
    // a name Object.prototype has is not an activation either
    expect(() => tf.engine().runKernel('EffnetPointwiseConv', { x, filter }, { activation: 'toString' })).toThrow(/got the activation 'toString'/);
    expect(() => tf.engine().runKernel('EffnetDepthwiseConv', { x }, { activation: 'silu', strides: [1, 1], pads: [0, 0, 0, 0] })).toThrow(/EffnetDepthwiseConv needs the inputs x and filter/);
    const depthwise = tf.ones([3, 3, 8, 1]);
    const negative = () => tf.engine().runKernel('EffnetDepthwiseConv', { x, filter: depthwise }, { activation: 'silu', strides: [1, 1], pads: [-1, 0, 0, 0] });
    expect(negative).toThrow(EffnetBackendError);
    expect(negative).toThrow(/needs strides \[sh, sw\] of whole numbers ≥ 1 and pads \[top, bottom, left, right\] of whole numbers ≥ 0; got strides \[1, 1\], pads \[-1, 0, 0, 0\]/);
    expect(() => tf.engine().runKernel('EffnetDepthwiseConv', { x, filter: depthwise }, { activation: 'silu', strides: [0, 1], pads: [1, 1, 1, 1] })).toThrow(/got strides \[0, 1\]/);
    tf.dispose([x, filter, depthwise]);
  });
});

// effnet's own SIMD kernels (src/simd/kernels.wat): the committed bytes are what the .wat compiles
// to, the module runs on the wasm backend's heap in Node, and the kernels that use it equal
// tfjs-backend-cpu's on seeded sweeps, exactly on small integer cases, without leaking backend
// buffers: the depthwise filter gradient (channel multiplier 1, channels a multiple of 4), the
// leading-axis Sum and Mean (inner size a multiple of 4), Add, Sub and Multiply of an activation
// and per-channel values, EffnetSiluGrad and Transpose (all three bit for bit), EffnetSilu (within
// 1e-6 of float64), batch norm's
// training kernels EffnetBatchMoments and EffnetBatchNormGrad (bit for bit the kernels they replace),
// the forward depthwise convolution (DepthwiseConv2dNative, FusedDepthwiseConv2D) and convolutions
// (Conv2D, FusedConv2D: 1×1 as a matrix product, others with 16+ input channels directly).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { leakCheck, maxRelativeError, seeded, useWasmForTests } from '../test/wasm-setup.js';
import { registerWasmGradientKernels } from './register-kernels.js';
import { simdKernels, simdKernelsActive } from './simd/simd-kernels.js';
import { reducedPermutation } from './kernels/transpose.js';

interface Case {
  x: tf.Tensor4D;
  w: tf.Tensor4D;
  dy: tf.Tensor4D;
  attrs: NamedAttrMap;
  label: string;
}

/** DepthwiseConv2dNativeBackpropFilter of `c` on `backend`, read back. */
function run(backend: string, c: Case): { shape: number[]; values: Float32Array } {
  tf.setBackend(backend);
  const copy = (t: tf.Tensor) => tf.tensor(t.dataSync(), t.shape);
  const inputs = { x: copy(c.x), dy: copy(c.dy) };
  const out = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', inputs, { ...c.attrs, filterShape: c.w.shape }) as tf.Tensor;
  const result = { shape: out.shape, values: out.dataSync() as Float32Array };
  tf.dispose([out, ...Object.values(inputs)]);
  return result;
}

function makeCase(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: 'same' | 'valid' | number[][], dy?: tf.Tensor4D, fill?: () => number): Case {
  const info = tf.backend_util.computeConv2DInfo(x.shape, w.shape, stride, 1, pad as 'same', undefined, true);
  const grad = dy ?? tf.tensor4d(Float32Array.from({ length: info.outShape.reduce((a, b) => a * b, 1) }, fill!), info.outShape);
  return { x, w, dy: grad, attrs: { strides: [stride, stride], dilations: [1, 1], pad, dimRoundingMode: undefined } as unknown as NamedAttrMap, label: `x=[${x.shape}] k=${w.shape[0]} s=${stride} pad=${JSON.stringify(pad)}` };
}

/** Picks one of `xs` with `rand`. */
function picker(rand: () => number): <T>(xs: readonly T[]) => T {
  return (xs) => xs[Math.floor(rand() * xs.length)]!;
}

/** A convolution's output read back. */
interface Read {
  shape: number[];
  values: Float32Array;
}

/**
 * How a convolution's wasm output differs from tfjs-cpu's beyond the sweeps' bounds, or null: the
 * shape, where the NaNs are, 1e-5 relative error elsewhere, and (when `exact`) equal values up to
 * the sign of a zero.
 */
function convolutionMismatch(actual: Read, expected: Read, exact: boolean): string | null {
  const nanAt = (v: Float32Array) => Array.from(v, (e, i) => (Number.isNaN(e) ? i : -1)).filter((i) => i >= 0).join();
  const finite = (v: Float32Array) => v.map((e) => (Number.isNaN(e) ? 0 : e));
  const worst = maxRelativeError(finite(actual.values), finite(expected.values));
  const equal = !exact || actual.values.every((v, i) => v === expected.values[i]);
  if (actual.shape.join() === expected.shape.join() && nanAt(actual.values) === nanAt(expected.values) && worst <= 1e-5 && equal) return null;
  return `shape [${actual.shape}] vs [${expected.shape}], error ${worst}, exact ${equal}`;
}

/** One case of a convolution sweep: its shapes, which path it takes, and the op it calls. */
interface ConvolutionCase {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  /** Whether effnet's SIMD kernel takes the call (else the stock kernel). */
  simd: boolean;
  /** The bias's length (the output channels). */
  outChannels: number;
  integers: boolean;
  /** Whether the outputs must equal tfjs-cpu's exactly (integer data, no sigmoid). */
  exact: boolean;
  run(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor;
}

/**
 * Runs `c` on wasm and on cpu with values drawn from `rand` (small integers, or uniform in [−1, 1)
 * with NaN in the SIMD path's input only: the stock kernel, XNNPACK, handles NaN as tfjs-cpu does
 * not, multiplying padding zeros by the filter and clamping NaN to 0 in relu) and returns how the
 * outputs differ, or null.
 */
function convolutionCaseMismatch(c: ConvolutionCase, rand: () => number): string | null {
  const value = () => (c.integers ? Math.floor(rand() * 9) - 4 : rand() * 2 - 1);
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const xv = Float32Array.from({ length: size(c.xShape) }, () => (c.simd && !c.integers && rand() < 0.003 ? Number.NaN : value()));
  const fv = Float32Array.from({ length: size(c.filterShape) }, value);
  const bv = Float32Array.from({ length: c.outChannels }, value);
  const read = (backend: string): Read => {
    tf.setBackend(backend);
    const x = tf.tensor4d(xv, c.xShape);
    const filter = tf.tensor4d(fv, c.filterShape);
    const bias = tf.tensor1d(bv);
    const out = c.run(x, filter, bias);
    const result = { shape: out.shape, values: out.dataSync() as Float32Array };
    tf.dispose([x, filter, bias, out]);
    return result;
  };
  return convolutionMismatch(read('wasm'), read('cpu'), c.exact);
}

describe('effnet SIMD kernels on the wasm backend', () => {
  beforeAll(async () => {
    await useWasmForTests();
    registerWasmGradientKernels();
  });

  it('the committed kernels-wasm.ts is what kernels.wat compiles to', () => {
    const script = fileURLToPath(new URL('../scripts/compile-simd.mjs', import.meta.url));
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toContain('matches');
  });

  it('instantiate on the backend memory in Node (so the depthwise gradients below take the SIMD path)', () => {
    tf.setBackend('wasm');
    const kernels = simdKernels(tf.backend());
    expect(kernels).not.toBeNull();
    expect(typeof kernels!.depthwiseFilterGrad).toBe('function');
    expect(typeof kernels!.sumLeading).toBe('function');
    expect(simdKernels(tf.backend())).toBe(kernels); // one instance per backend
    expect(simdKernelsActive()).toBe(true);
    tf.setBackend('cpu');
    expect(simdKernelsActive()).toBe(false);
  });

  it('give exact sums on a small integer case', () => {
    tf.setBackend('wasm');
    // x = dy = 1, 3×3 'same', stride 1, 4×4 image: dw[i, j] counts the positions whose tap (i, j)
    // falls inside the image, 3 or 4 rows (taps shifted by -1, 0, +1) times 3 or 4 columns.
    const x = tf.ones([1, 4, 4, 4]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 4, 1]) as tf.Tensor4D;
    const dy = tf.ones([1, 4, 4, 4]) as tf.Tensor4D;
    const filter = run('wasm', makeCase(x, w, 1, 'same', dy));
    const along = [3, 4, 3];
    expect(Array.from(filter.values)).toEqual(along.flatMap((a) => along.flatMap((b) => [a * b, a * b, a * b, a * b])));
    tf.dispose([x, w, dy]);
  });

  it('equal tfjs-cpu within 1e-5 relative over strides 1/2, kernels 1/3/5, every padding, 4-32 channels, odd and even sizes, without leaking', () => {
    const rand = seeded(20261205);
    const pick = picker(rand);
    const values = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
    const failures: string[] = [];
    const labels: string[] = [];
    tf.setBackend('wasm');
    const expectNoLeaks = leakCheck();
    for (let k = 0; k < 80; k++) {
      const [n, h, w, c] = [pick([1, 2, 3]), pick([5, 6, 7, 8, 13]), pick([5, 6, 7, 9, 16]), pick([4, 8, 12, 32])];
      const size = pick([1, 3, 5]);
      const stride = pick([1, 2]);
      const pad = pick(['same', 'valid', [[0, 0], [Math.floor(rand() * 3), Math.floor(rand() * 3)], [Math.floor(rand() * 3), Math.floor(rand() * 3)], [0, 0]]] as const);
      if (pad === 'valid' && (h < size || w < size)) continue;
      tf.setBackend('wasm');
      const x = tf.tensor4d(values(n * h * w * c), [n, h, w, c]);
      const filter = tf.tensor4d(values(size * size * c), [size, size, c, 1]);
      const c0 = makeCase(x, filter, stride, pad as 'same', undefined, () => rand() * 2 - 1);
      labels.push(c0.label);
      const expected = run('cpu', c0);
      const actual = run('wasm', c0);
      const worst = maxRelativeError(actual.values, expected.values);
      if (actual.shape.join() !== expected.shape.join() || !(worst <= 1e-5)) failures.push(`${c0.label}: shape ${actual.shape} vs ${expected.shape}, ${worst}`);
      tf.setBackend('wasm');
      tf.dispose([x, filter, c0.dy]);
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    for (const text of ['s=1', 's=2', 'k=1', 'k=3', 'k=5', '"same"', '"valid"', 'pad=[[']) expect(labels.some((l) => l.includes(text)), text).toBe(true);
    expectNoLeaks();
  });

  it('DepthwiseConv2dNative and FusedDepthwiseConv2D equal tfjs-cpu within 1e-5 relative over 120 seeded cases (SIMD and stock paths, NaN included), exactly on integers, without leaking', () => {
    const rand = seeded(20261206);
    const pick = picker(rand);
    const failures: string[] = [];
    const paths = new Set<string>();
    const expectNoLeaks = leakCheck();
    for (let k = 0; k < 120; k++) {
      const [n, h, w] = [pick([1, 2]), pick([1, 2, 5, 8, 13]), pick([1, 3, 6, 9, 16])];
      const c = pick([4, 8, 12, 32, 3, 6]);
      const multiplier = rand() < 0.15 ? 2 : 1;
      const size = pick([1, 2, 3, 5, 7]);
      const stride = pick([1, 2, 3]);
      const dilation = stride === 1 && rand() < 0.15 ? 2 : 1;
      const pad = pick(['same', 'valid', Math.floor(rand() * 3)] as const);
      const span = (size - 1) * dilation + 1;
      const room = (d: number) => d + 2 * (typeof pad === 'number' ? pad : 0) - span;
      if (pad !== 'same' && (room(h) < 0 || room(w) < 0)) continue;
      const fused = rand() < 0.6;
      const activation = pick(['linear', 'relu', 'relu6', 'sigmoid'] as const);
      const integers = rand() < 0.2;
      const simd = multiplier === 1 && c % 4 === 0 && dilation === 1 && (!fused || activation !== 'sigmoid');
      const label = `[${n}, ${h}, ${w}, ${c}] k=${size}×${multiplier} s=${stride} d=${dilation} pad=${pad} ${fused ? `fused ${activation}` : 'plain'}${integers ? ' integers' : ''}`;
      paths.add(`${simd ? 'simd' : 'stock'} ${fused ? 'fused' : 'plain'}`);
      const mismatch = convolutionCaseMismatch(
        {
          xShape: [n, h, w, c],
          filterShape: [size, size, c, multiplier],
          outChannels: c * multiplier,
          simd,
          integers,
          // Integer sums are exact in any order; sigmoid's exp differs between the backends by an ulp.
          exact: integers && !(fused && activation === 'sigmoid'),
          run: (x, filter, bias) =>
            fused ? tf.fused.depthwiseConv2d({ x, filter, strides: stride, pad, dilations: dilation, bias, activation }) : tf.depthwiseConv2d(x, filter, stride, pad, 'NHWC', dilation),
        },
        rand,
      );
      if (mismatch !== null) failures.push(`${label}: ${mismatch}`);
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    // The sweep reached both paths of both kernels.
    expect([...paths].sort()).toEqual(['simd fused', 'simd plain', 'stock fused', 'stock plain']);
    expectNoLeaks();
  });

  it('Conv2D and FusedConv2D (1×1 as a matrix product, other filters with 16+ input channels directly) equal tfjs-cpu within 1e-5 relative over 140 seeded cases (both SIMD paths and stock, NaN included), exactly on integers, without leaking', () => {
    const rand = seeded(20261207);
    const pick = picker(rand);
    const failures: string[] = [];
    const paths = new Set<string>();
    const expectNoLeaks = leakCheck();
    for (let k = 0; k < 140; k++) {
      const [n, h, w] = [pick([1, 2, 3]), pick([1, 2, 5, 7]), pick([1, 3, 6, 9])];
      const inC = pick([1, 3, 8, 16, 17, 64]);
      const outC = pick([8, 16, 24, 40, 4, 12]);
      const size = rand() < 0.4 ? pick([2, 3, 5]) : 1;
      const stride = rand() < 0.25 ? pick([2, 3]) : 1;
      const pad = pick(['same', 'valid', 0, 1] as const);
      if (size > h + 2 * (typeof pad === 'number' ? pad : 0) || size > w + 2 * (typeof pad === 'number' ? pad : 0)) continue;
      const fused = rand() < 0.6;
      const withBias = !fused || rand() < 0.8;
      const activation = pick(['linear', 'relu', 'relu6', 'sigmoid'] as const);
      const integers = rand() < 0.2;
      const shared = outC % 8 === 0 && (!fused || activation !== 'sigmoid');
      const pointwise = shared && size === 1 && stride === 1 && pad !== 1;
      const direct = shared && !pointwise && inC >= 16;
      const label = `[${n}, ${h}, ${w}, ${inC}] → ${outC}, k=${size} s=${stride} pad=${pad} ${fused ? `fused ${activation}${withBias ? ' bias' : ''}` : 'plain'}${integers ? ' integers' : ''}`;
      paths.add(`${pointwise ? 'pointwise' : direct ? 'direct' : 'stock'} ${fused ? 'fused' : 'plain'}`);
      const mismatch = convolutionCaseMismatch(
        {
          xShape: [n, h, w, inC],
          filterShape: [size, size, inC, outC],
          outChannels: outC,
          simd: pointwise || direct,
          integers,
          // Integer sums are exact in any order; sigmoid's exp differs between the backends by an ulp.
          exact: integers && !(fused && activation === 'sigmoid'),
          run: (x, filter, bias) => (fused ? tf.fused.conv2d({ x, filter, strides: stride, pad, bias: withBias ? bias : undefined, activation }) : tf.conv2d(x, filter, stride, pad)),
        },
        rand,
      );
      if (mismatch !== null) failures.push(`${label}: ${mismatch}`);
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    // The sweep reached every path of both kernels.
    expect([...paths].sort()).toEqual(['direct fused', 'direct plain', 'pointwise fused', 'pointwise plain', 'stock fused', 'stock plain']);
    expectNoLeaks();
  });

  it('sum leading axes exactly on integers, across the 128-row blocks and for several outer rows', () => {
    tf.setBackend('wasm');
    // x[o, r, k] = (r mod 7) + k + 10·o over 300 rows: exact in float32 at every partial sum.
    const [outer, reduced, inner] = [3, 300, 8];
    const values = Float32Array.from({ length: outer * reduced * inner }, (_, i) => {
      const k = i % inner;
      const r = Math.floor(i / inner) % reduced;
      const o = Math.floor(i / (inner * reduced));
      return (r % 7) + k + 10 * o;
    });
    const x = tf.tensor3d(values, [outer, reduced, inner]);
    const rowSum = Array.from({ length: reduced }, (_, r) => r % 7).reduce((a, b) => a + b, 0);
    const expected = Array.from({ length: outer * inner }, (_, i) => rowSum + reduced * ((i % inner) + 10 * Math.floor(i / inner)));
    const sum = tf.sum(x, 1);
    expect(Array.from(sum.dataSync())).toEqual(expected);
    const mean = tf.mean(x, 1, true);
    expect(mean.shape).toEqual([outer, 1, inner]);
    expect(Array.from(mean.dataSync())).toEqual(expected.map((v) => Math.fround(Math.fround(v) * Math.fround(1 / reduced))));
    tf.dispose([x, sum, mean]);
  });

  it('sum and average leading axes as tfjs-cpu does, within 1e-5 relative, over 60 seeded shapes, without leaking', () => {
    const rand = seeded(20261206);
    const pick = picker(rand);
    const failures: string[] = [];
    tf.setBackend('wasm');
    const expectNoLeaks = leakCheck();
    for (let k = 0; k < 60; k++) {
      const shape = [pick([1, 2, 3, 16]), pick([1, 5, 7, 14]), pick([1, 5, 7, 14]), pick([4, 8, 12, 24, 96])];
      const axis = pick([[0, 1, 2], [1, 2], [0], [2]]);
      const kernel = pick(['Sum', 'Mean'] as const);
      const keepDims = rand() < 0.5;
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 4 - 1);
      const read = (backend: string) => {
        tf.setBackend(backend);
        const x = tf.tensor(values, shape);
        const out = tf.engine().runKernel(kernel, { x }, { axis, keepDims } as unknown as NamedAttrMap) as tf.Tensor;
        const result = { shape: out.shape, values: out.dataSync() as Float32Array };
        tf.dispose([x, out]);
        return result;
      };
      const expected = read('cpu');
      const actual = read('wasm');
      const worst = maxRelativeError(actual.values, expected.values);
      if (actual.shape.join() !== expected.shape.join() || !(worst <= 1e-5)) failures.push(`${kernel} [${shape}] axis ${axis}: shape ${actual.shape} vs ${expected.shape}, ${worst}`);
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    expectNoLeaks();
  });

  it('add, subtract and multiply per-channel values bit for bit as tfjs-cpu does (NaN and ±Infinity included), and hand the rest to the stock kernels', () => {
    const rand = seeded(20261207);
    const pick = picker(rand);
    const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0];
    const values = (n: number) => Float32Array.from({ length: n }, () => (rand() < 0.02 ? pick(special) : (rand() * 8 - 4) * 10 ** Math.floor(rand() * 7 - 3)));
    const failures: string[] = [];
    const labels: string[] = [];
    tf.setBackend('wasm');
    const expectNoLeaks = leakCheck();
    for (let k = 0; k < 120; k++) {
      const channels = pick([4, 8, 12, 24, 96, 5, 6]);
      const full = [...Array.from({ length: pick([0, 1, 3]) }, () => pick([1, 2, 3, 7])), channels];
      const v = pick([[channels], [1, channels], [1, 1, 1, channels]]).slice(-full.length);
      const kernel = pick(['Add', 'Sub', 'Multiply'] as const);
      const vFirst = rand() < 0.3;
      const fullValues = values(full.reduce((a, b) => a * b, 1));
      const vValues = values(channels);
      const label = `${kernel} [${vFirst ? v : full}] [${vFirst ? full : v}]`;
      labels.push(label);
      const read = (backend: string) => {
        tf.setBackend(backend);
        const [a, b] = vFirst ? [tf.tensor(vValues, v), tf.tensor(fullValues, full)] : [tf.tensor(fullValues, full), tf.tensor(vValues, v)];
        const out = tf.engine().runKernel(kernel, { a, b }) as tf.Tensor;
        const result = { shape: out.shape, values: Array.from(out.dataSync()) };
        tf.dispose([a, b, out]);
        return result;
      };
      const expected = read('cpu');
      const actual = read('wasm');
      if (actual.shape.join() !== expected.shape.join() || actual.values.some((x, i) => !Object.is(x, expected.values[i]) && !(x === 0 && expected.values[i] === 0))) failures.push(label);
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    for (const text of ['Add', 'Sub', 'Multiply', ',4]', ',96]', ',5]']) expect(labels.some((l) => l.includes(text)), text).toBe(true);
    expectNoLeaks();
  });

  it('EffnetSilu gives x·σ(x) within 1e-6 of float64 (0 where σ underflows), NaN, ±∞ and −0 as tfjs-cpu composes them, by the SIMD pass and (odd sizes) by the stock Sigmoid and Multiply', () => {
    const rand = seeded(20261205);
    tf.setBackend('wasm');
    const expectNoLeaks = leakCheck();
    const special = [0, -0, 1e-40, -1e-40, 1e-8, -17, 17, 86, -86, 87.3, -87.3, -87.33, -87.34, -88, -100, 100, 3.4e38, -3.4e38, Infinity, -Infinity, NaN];
    const failures: string[] = [];
    for (const shape of [[8], [12], [2, 7, 7, 24], [1, 28, 28, 36], [5], [3, 3], [0, 4], [special.length + 3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n }, (_, i) => (i < special.length && n > special.length ? special[i]! : (rand() * 2 - 1) * 10 ** (rand() * 4 - 2)));
      const read = (backend: string, fused: boolean) => {
        tf.setBackend(backend);
        const t = tf.tensor(x, shape);
        const out = fused ? (tf.engine().runKernel('EffnetSilu', { x: t }) as tf.Tensor) : tf.tidy(() => tf.mul(t, tf.sigmoid(t)));
        const values = out.dataSync().slice();
        tf.dispose([t, out]);
        return values;
      };
      const actual = read('wasm', true);
      const composed = read('cpu', false);
      x.forEach((v, i) => {
        const [a, c] = [actual[i]!, composed[i]!];
        const exact = v / (1 + Math.exp(-v));
        const close = Number.isFinite(c) ? Math.abs(a - exact) <= 1e-6 * Math.abs(exact) + 1e-30 : Object.is(a, c);
        if (!close || (Number.isNaN(c) !== Number.isNaN(a)) || (c === 0 && !Object.is(a, c) && v > -87)) failures.push(`[${shape}] x=${v}: ${a}, cpu ${c}`);
      });
      if (n % 4 !== 0) expect(actual, `[${shape}] by the stock kernels`).toEqual(read('wasm', false));
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    const ints = tf.ones([4], 'int32');
    expect(() => tf.engine().runKernel('EffnetSilu', { x: ints })).toThrow(/EffnetSilu needs a float32 x; got int32 \[4\]/);
    ints.dispose();
    expectNoLeaks();
  });

  it('EffnetSiluGrad equals dy·(s·(1 + x·(1 − s))) composed of tfjs-cpu ops bit for bit, by the SIMD pass and (odd sizes) by separate kernels, and refuses mismatched inputs', () => {
    const rand = seeded(20261208);
    const failures: string[] = [];
    tf.setBackend('wasm');
    const expectNoLeaks = leakCheck();
    for (const shape of [[4], [2, 3, 3, 8], [1, 7, 7, 24], [5], [3, 3], [2, 5, 5, 3], [0, 4]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n }, () => (rand() * 16 - 8) * 10 ** Math.floor(rand() * 3 - 1));
      const dy = Float32Array.from({ length: n }, () => rand() * 2 - 1);
      const read = (backend: string, fused: boolean) => {
        tf.setBackend(backend);
        const [tx, tdy] = [tf.tensor(x, shape), tf.tensor(dy, shape)];
        const s = tf.sigmoid(tx);
        const out = fused ? (tf.engine().runKernel('EffnetSiluGrad', { dy: tdy, x: tx, s }) as tf.Tensor) : tf.tidy(() => tf.mul(tdy, tf.mul(s, tf.add(1, tf.mul(tx, tf.sub(1, s))))));
        const values = Array.from(out.dataSync());
        tf.dispose([tx, tdy, s, out]);
        return values;
      };
      // The same sigmoid on both sides: wasm's own (its values differ from cpu's in the last bit).
      const sigmoidOnWasm = (() => { tf.setBackend('wasm'); const t = tf.tensor(x, shape); const s = tf.sigmoid(t); const v = s.dataSync().slice(); tf.dispose([t, s]); return v; })();
      tf.setBackend('cpu');
      const [cx, cdy, cs] = [tf.tensor(x, shape), tf.tensor(dy, shape), tf.tensor(sigmoidOnWasm, shape)];
      const expectedTensor = tf.tidy(() => tf.mul(cdy, tf.mul(cs, tf.add(1, tf.mul(cx, tf.sub(1, cs))))));
      const expected = Array.from(expectedTensor.dataSync());
      tf.dispose([cx, cdy, cs, expectedTensor]);
      const actual = read('wasm', true);
      if (actual.length !== expected.length || actual.some((v, i) => !Object.is(v, expected[i]))) failures.push(`[${shape}]`);
      expect(read('wasm', false)).toEqual(expected);
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    const [a, b] = [tf.ones([4]), tf.ones([8])];
    expect(() => tf.engine().runKernel('EffnetSiluGrad', { dy: a, x: a, s: b })).toThrow(/float32 dy, x and s of one shape; got s float32 \[8\] for x \[4\]/);
    tf.dispose([a, b]);
    expectNoLeaks();
  });
  it('reduce a permutation to the fewest axes that move the same values', () => {
    expect(reducedPermutation([16, 64, 64, 96], [1, 2, 0, 3])).toEqual({ shape: [16, 4096, 96], perm: [1, 0, 2] });
    expect(reducedPermutation([16, 66, 66, 16], [3, 1, 2, 0])).toEqual({ shape: [16, 4356, 16], perm: [2, 1, 0] });
    expect(reducedPermutation([1, 1024, 112], [0, 2, 1])).toEqual({ shape: [1024, 112], perm: [1, 0] });
    expect(reducedPermutation([2, 1, 3], [1, 0, 2])).toEqual({ shape: [6], perm: [0] });
    expect(reducedPermutation([2, 3, 4, 5], [0, 3, 1, 2])).toEqual({ shape: [2, 12, 5], perm: [0, 2, 1] });
    expect(reducedPermutation([1, 1], [1, 0])).toEqual({ shape: [], perm: [] });
  });

  it('transpose float32 and int32 tensors bit for bit as tfjs-cpu does, over 150 seeded shapes and permutations of ranks 1-6 (NaN included), without leaking', () => {
    const rand = seeded(20261205);
    const pick = picker(rand);
    const failures: string[] = [];
    const plans = new Set<string>();
    const expectNoLeaks = leakCheck();
    for (let k = 0; k < 150; k++) {
      const rank = 1 + Math.floor(rand() * 6);
      let shape = Array.from({ length: rank }, () => pick([1, 2, 3, 4, 5, 7, 8, 13, 32, 37]));
      while (shape.reduce((a, b) => a * b, 1) > 60_000) shape = shape.map((d) => Math.ceil(d / 2));
      if (rand() < 0.05) shape[Math.floor(rand() * rank)] = 0;
      const perm = Array.from({ length: rank }, (_, i) => i).sort(() => rand() - 0.5);
      const dtype = rand() < 0.2 ? 'int32' : 'float32';
      const n = shape.reduce((a, b) => a * b, 1);
      const values = dtype === 'int32' ? Int32Array.from({ length: n }, () => Math.floor(rand() * 2e9 - 1e9)) : Float32Array.from({ length: n }, () => (rand() < 0.01 ? Number.NaN : rand() * 2 - 1));
      plans.add(reducedPermutation(shape, perm).perm.join(','));
      const read = (backend: string) => {
        tf.setBackend(backend);
        const x = tf.tensor(values, shape, dtype);
        const out = tf.transpose(x, perm);
        const result = { shape: out.shape, values: Array.from(out.dataSync()) };
        tf.dispose([x, out]);
        return result;
      };
      const expected = read('cpu');
      const actual = read('wasm');
      if (actual.shape.join() !== expected.shape.join() || actual.values.some((v, i) => !Object.is(v, expected.values[i]))) failures.push(`${dtype} [${shape}] perm [${perm}]`);
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    // The sweep reached every case the SIMD kernel runs, and some it hands to the stock kernel.
    for (const plan of ['1,0', '0,2,1', '2,1,0', '1,0,2', '']) expect(plans.has(plan), `perm [${plan}]`).toBe(true);
    expectNoLeaks();
  });
  it('EffnetBatchMoments and EffnetBatchNormGrad equal the kernels they replace bit for bit (SIMD and composed paths), stay within 1e-5 of tfjs-cpu, refuse bad inputs, without leaking', () => {
    const rand = seeded(20261210);
    const failures: string[] = [];
    let worstVsCpu = 0;
    const expectNoLeaks = leakCheck();
    // The composed paths, as @effnet/blocks runs them where the kernels are not registered.
    const composedMoments = (x: tf.Tensor4D) => Object.values(tf.moments(x, [0, 1, 2]));
    const composedGrad = (dy: tf.Tensor4D, x: tf.Tensor4D, mean: tf.Tensor1D, variance: tf.Tensor1D, gamma: tf.Tensor1D, eps: number) =>
      tf.tidy(() => {
        const count = x.shape[0] * x.shape[1] * x.shape[2];
        const invStd = tf.rsqrt(tf.add(variance, eps));
        const centred = tf.sub(x, mean);
        const sumDy = tf.sum(dy, [0, 1, 2]);
        const dGamma = tf.mul(tf.sum(tf.mul(dy, centred), [0, 1, 2]), invStd);
        const scale = tf.mul(gamma, invStd);
        const perCentred = tf.mul(scale, tf.mul(invStd, tf.div(dGamma, -count)));
        const perChannel = tf.mul(scale, tf.div(sumDy, -count));
        return [tf.add(tf.add(tf.mul(dy, scale), tf.mul(centred, perCentred)), perChannel), dGamma, sumDy];
      });
    for (const shape of [[2, 5, 5, 8], [64, 7, 7, 16], [3, 9, 9, 4], [1, 1, 1, 12], [16, 16, 16, 24], [2, 3, 3, 3], [4, 5, 5, 6], [200, 1, 1, 4]] as Array<[number, number, number, number]>) {
      const n = shape.reduce((a, b) => a * b, 1);
      const c = shape[3];
      const xv = Float32Array.from({ length: n }, () => (rand() * 4 - 1) * 10 ** Math.floor(rand() * 3 - 1));
      const dyv = Float32Array.from({ length: n }, () => rand() * 2 - 1);
      const gv = Float32Array.from({ length: c }, () => rand() * 2);
      const eps = 1e-3;
      const results = (backend: string, fused: boolean) => {
        tf.setBackend(backend);
        const [x, dy, gamma] = [tf.tensor4d(xv, shape), tf.tensor4d(dyv, shape), tf.tensor1d(gv)];
        const moments = (fused ? tf.engine().runKernel('EffnetBatchMoments', { x }) : composedMoments(x)) as tf.Tensor1D[];
        const [mean, variance] = moments as [tf.Tensor1D, tf.Tensor1D];
        const grads = (fused ? tf.engine().runKernel('EffnetBatchNormGrad', { dy, x, mean, variance, gamma }, { eps }) : composedGrad(dy, x, mean, variance, gamma, eps)) as tf.Tensor[];
        const values = [...moments, ...grads].map((t) => Array.from(t.dataSync()));
        tf.dispose([x, dy, gamma, ...moments, ...grads]);
        return values;
      };
      const fused = results('wasm', true);
      const composed = results('wasm', false);
      const names = ['mean', 'variance', 'dx', 'dgamma', 'dbeta'];
      fused.forEach((values, i) => {
        if (values.length !== composed[i]!.length || values.some((v, j) => !Object.is(v, composed[i]![j]))) failures.push(`${names[i]} of [${shape}]`);
      });
      results('cpu', false).forEach((values, i) => (worstVsCpu = Math.max(worstVsCpu, maxRelativeError(fused[i]!, values))));
    }
    tf.setBackend('wasm');
    expect(failures).toEqual([]);
    expect(worstVsCpu).toBeLessThan(1e-5);
    const [x, y, v] = [tf.zeros([2, 3, 3, 4]), tf.zeros([2, 3, 3, 8]), tf.zeros([4])];
    expect(() => tf.engine().runKernel('EffnetBatchMoments', { x: v })).toThrow(/EffnetBatchMoments needs x as a float32 NHWC tensor; got float32 \[4\]/);
    expect(() => tf.engine().runKernel('EffnetBatchNormGrad', { dy: y, x, mean: v, variance: v, gamma: v }, { eps: 1e-3 })).toThrow(/needs dy of x's shape \[2, 3, 3, 4\]; got \[2, 3, 3, 8\]/);
    expect(() => tf.engine().runKernel('EffnetBatchNormGrad', { dy: x, x, mean: v, variance: x, gamma: v }, { eps: 1e-3 })).toThrow(/needs variance as float32 \[4\] \(one value per channel of x\); got float32 \[2, 3, 3, 4\]/);
    expect(() => tf.engine().runKernel('EffnetBatchNormGrad', { dy: x, x, mean: v, variance: v, gamma: v }, {})).toThrow(/needs attr eps, a positive number; got undefined/);
    tf.dispose([x, y, v]);
    expectNoLeaks();
  });
});

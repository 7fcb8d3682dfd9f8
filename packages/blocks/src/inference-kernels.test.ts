// The inference forwards on a backend without effnet's kernels (tfjs-cpu): each equals the tfjs ops
// it stands for bit for bit (explicit pads given as one number, TensorFlow's 'same', or a tf.pad);
// a backend's kernel is called when registered (a stand-in registered on cpu for the test proves
// the routing: pointwise needs even input channels, the stem conv at most 4, elementwise float32
// operands; uploadConstant calls the upload kernel, and is tf.tensor of its values without one); typed errors for
// mismatched filters; no leaked tensors. The webgl kernels themselves are tested in Chromium
// (apps/web/test/webgl-kernels-chromium.test.ts).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CONV_KERNEL,
  ELEMENTWISE_KERNEL,
  POINTWISE_CONV_KERNEL,
  UPLOAD_KERNEL,
  convForward,
  depthwiseConvForward,
  elementwiseForward,
  globalMeanForward,
  linearForward,
  pointwiseConvForward,
  uploadConstant,
} from './inference-kernels.js';
import { EffnetBlockError } from './errors.js';
import { SeededRandom } from './seeded-random.js';

const random = new SeededRandom(7);
const rand = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.nextFloat() * 2 - 1), shape);
const values = (t: tf.Tensor) => Array.from(t.dataSync());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let registered: string[] = [];
afterEach(() => {
  for (const name of registered) tf.unregisterKernel(name, 'cpu');
  registered = [];
});

describe('inference forwards without a backend kernel', () => {
  it('pointwise and linear equal tf.fused.conv2d / matMul, SiLU as x·σ(x), bit for bit', () => {
    const before = tf.memory().numTensors;
    const [x, f, b] = [rand([2, 3, 5, 6]), rand([1, 1, 6, 4]), rand([4])] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
    for (const act of ['linear', 'relu', 'relu6', 'sigmoid'] as const) {
      const ours = pointwiseConvForward(x, f, b, act);
      const stock = tf.fused.conv2d({ x, filter: f, strides: 1, pad: 'valid', bias: b, activation: act });
      expect(values(ours)).toEqual(values(stock));
      tf.dispose([ours, stock]);
    }
    const silu = pointwiseConvForward(x, f, undefined, 'silu');
    const composed = tf.tidy(() => {
      const y = tf.conv2d(x, f, 1, 'valid');
      return tf.mul(y, tf.sigmoid(y));
    });
    expect(values(silu)).toEqual(values(composed));
    const [x2, k2] = [rand([3, 6]), rand([6, 5])] as [tf.Tensor2D, tf.Tensor2D];
    const b2 = rand([5]) as tf.Tensor1D;
    const dense = linearForward(x2, k2, b2);
    const matMul = tf.fused.matMul({ a: x2, b: k2, bias: b2 });
    expect(values(dense)).toEqual(values(matMul));
    tf.dispose([x, f, b, silu, composed, x2, k2, b2, dense, matMul]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['equal pads', [1, 1, 1, 1], 1],
    ["TensorFlow's 'same' (stride 2, even size: 0 before, 1 after)", [0, 1, 0, 1], 'same'],
    ['other pads, through tf.pad', [2, 0, 1, 0], [[0, 0], [2, 0], [1, 0], [0, 0]]],
  ] as const)('depthwise and stem conv with %s equal tfjs', (_, pads, stockPad) => {
    const before = tf.memory().numTensors;
    const x = rand([1, 6, 6, 3]) as tf.Tensor4D;
    const dw = rand([3, 3, 3, 1]) as tf.Tensor4D;
    const full = rand([3, 3, 3, 5]) as tf.Tensor4D;
    const p = pads as unknown as [number, number, number, number];
    const padded = typeof stockPad === 'object' ? tf.pad(x, stockPad as unknown as [number, number][]) : x;
    const pad = typeof stockPad === 'object' ? 'valid' : stockPad;
    const oursDw = depthwiseConvForward(x, dw, undefined, [2, 2], p, 'relu');
    const stockDw = tf.fused.depthwiseConv2d({ x: padded, filter: dw, strides: 2, pad, activation: 'relu' });
    const oursConv = convForward(x, full, undefined, [2, 2], p, 'linear');
    const stockConv = tf.conv2d(padded, full, 2, pad);
    expect(oursDw.shape).toEqual(stockDw.shape);
    expect(values(oursDw)).toEqual(values(stockDw));
    expect(values(oursConv)).toEqual(values(stockConv));
    tf.dispose([x, dw, full, oursDw, stockDw, oursConv, stockConv, ...(padded === x ? [] : [padded])]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('global mean equals tf.mean over height and width, kept as [N, 1, 1, C]', () => {
    const x = rand([2, 5, 7, 3]) as tf.Tensor4D;
    const ours = globalMeanForward(x);
    const mean = tf.mean(x, [1, 2], true);
    expect(ours.shape).toEqual([2, 1, 1, 3]);
    const [a, b] = [values(ours), values(mean)];
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-6));
    tf.dispose([x, ours, mean]);
  });

  it('elementwise equals tf.add / tf.mul bit for bit, broadcast as the residual add and the gate are; uploadConstant is tf.tensor of its values', () => {
    const before = tf.memory().numTensors;
    const [x, residual, gate] = [rand([2, 3, 5, 6]), rand([2, 3, 5, 6]), rand([2, 1, 1, 6])];
    const pairs = [
      [elementwiseForward('add', x, residual), tf.add(x, residual)],
      [elementwiseForward('multiply', x, gate), tf.mul(x, gate)],
      [elementwiseForward('add', gate, x), tf.add(gate, x)],
    ];
    for (const [ours, stock] of pairs) {
      expect(ours!.shape).toEqual(stock!.shape);
      expect(values(ours!)).toEqual(values(stock!));
    }
    const data = Float32Array.from([0.5, -2, 3, 1e-3, -0, 7]);
    const w = uploadConstant(data, [1, 2, 3]);
    expect(w.shape).toEqual([1, 2, 3]);
    expect(w.dtype).toBe('float32');
    expect(values(w)).toEqual(Array.from(data));
    tf.dispose([x, residual, gate, w, ...pairs.flat()]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses mismatched filters with an EffnetBlockError naming the function', () => tf.tidy(() => {
    const x = tf.zeros([1, 4, 4, 6]) as tf.Tensor4D;
    expect(() => pointwiseConvForward(x, tf.zeros([3, 3, 6, 2]) as tf.Tensor4D, undefined, 'linear')).toThrow(EffnetBlockError);
    expect(() => pointwiseConvForward(x, tf.zeros([1, 1, 5, 2]) as tf.Tensor4D, undefined, 'linear')).toThrow(/pointwiseConvForward: needs a \[1, 1, 6, out\] filter/);
    expect(() => depthwiseConvForward(x, tf.zeros([3, 3, 6, 2]) as tf.Tensor4D, undefined, [1, 1], [1, 1, 1, 1], 'linear')).toThrow(/depthwiseConvForward: needs a \[fh, fw, 6, 1\] filter/);
    expect(() => convForward(x, tf.zeros([3, 3, 5, 2]) as tf.Tensor4D, undefined, [1, 1], [1, 1, 1, 1], 'linear')).toThrow(/convForward: needs a \[fh, fw, 6, out\] filter/);
    expect(() => linearForward(tf.zeros([2, 6]) as tf.Tensor2D, tf.zeros([5, 3]) as tf.Tensor2D, undefined)).toThrow(/linearForward: needs a \[6, out\] kernel/);
  }));
});

describe('inference forwards with a backend kernel', () => {
  /** Registers a stand-in kernel on cpu that records its attributes and returns zeros of `shape`. */
  function standIn(name: string, calls: unknown[], shape: (inputs: tf.NamedTensorInfoMap) => number[]) {
    tf.registerKernel({
      kernelName: name,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        calls.push({ inputs: Object.keys(inputs), attrs });
        const out = shape(inputs);
        return (backend as unknown as { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo }).makeTensorInfo(out, 'float32', new Float32Array(out.reduce((a, b) => a * b, 1)));
      },
    });
    registered.push(name);
  }

  it('calls the pointwise kernel for even input channels (and a dense layer), the stock path for odd', () => tf.tidy(() => {
    const calls: unknown[] = [];
    standIn(POINTWISE_CONV_KERNEL, calls, (inputs) => [...inputs['x']!.shape.slice(0, 3), inputs['filter']!.shape[3]!]);
    const y = pointwiseConvForward(tf.ones([1, 2, 2, 4]) as tf.Tensor4D, tf.ones([1, 1, 4, 3]) as tf.Tensor4D, tf.ones([3]) as tf.Tensor1D, 'silu');
    expect(calls).toEqual([{ inputs: ['x', 'filter', 'bias'], attrs: { activation: 'silu' } }]);
    const dense = linearForward(tf.ones([2, 4]) as tf.Tensor2D, tf.ones([4, 3]) as tf.Tensor2D, undefined);
    expect(dense.shape).toEqual([2, 3]);
    expect(calls).toHaveLength(2);
    const odd = pointwiseConvForward(tf.ones([1, 2, 2, 3]) as tf.Tensor4D, tf.ones([1, 1, 3, 2]) as tf.Tensor4D, undefined, 'linear');
    expect(values(odd)).toEqual(new Array(8).fill(3));
    expect(calls).toHaveLength(2);
    expect(y.shape).toEqual([1, 2, 2, 3]);
  }));

  it('calls the elementwise kernel for float32 operands (int32 takes tf.add), and the upload kernel', () => tf.tidy(() => {
    const calls: unknown[] = [];
    standIn(ELEMENTWISE_KERNEL, calls, (inputs) => inputs['a']!.shape);
    const y = elementwiseForward('multiply', tf.ones([1, 2, 2, 4]), tf.ones([1, 1, 1, 4]));
    expect(calls).toEqual([{ inputs: ['a', 'b'], attrs: { op: 'multiply' } }]);
    expect(values(elementwiseForward('add', tf.ones([3], 'int32'), tf.ones([3], 'int32')))).toEqual([2, 2, 2]);
    expect(calls).toHaveLength(1);
    expect(y.shape).toEqual([1, 2, 2, 4]);
    const uploads: unknown[] = [];
    standIn(UPLOAD_KERNEL, uploads, (inputs) => inputs['x']!.shape);
    const placed = uploadConstant(new Float32Array(72).fill(1), [3, 3, 8, 1]);
    expect(uploads.map((call) => (call as { inputs: string[] }).inputs)).toEqual([['x']]);
    expect(placed.shape).toEqual([3, 3, 8, 1]);
  }));

  it('calls the conv kernel for a stem of up to 4 input channels only', () => tf.tidy(() => {
    const calls: unknown[] = [];
    standIn(CONV_KERNEL, calls, () => [1, 2, 2, 2]);
    const stem = convForward(tf.ones([1, 4, 4, 3]) as tf.Tensor4D, tf.ones([3, 3, 3, 2]) as tf.Tensor4D, undefined, [2, 2], [0, 1, 0, 1], 'silu');
    expect(calls).toEqual([{ inputs: ['x', 'filter'], attrs: { strides: [2, 2], pads: [0, 1, 0, 1], activation: 'silu' } }]);
    const wide = convForward(tf.ones([1, 4, 4, 5]) as tf.Tensor4D, tf.ones([3, 3, 5, 2]) as tf.Tensor4D, undefined, [1, 1], [1, 1, 1, 1], 'linear');
    expect(wide.shape).toEqual([1, 4, 4, 2]);
    expect(calls).toHaveLength(1);
    expect(stem.shape).toEqual([1, 2, 2, 2]);
  }));
});

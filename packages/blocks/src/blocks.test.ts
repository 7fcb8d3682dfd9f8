// Tests of the blocks against hand-computed values: padding conventions on stride-2 layers, batch
// norm in training and evaluation, drop path and dropout, the Module contract (names, parameters
// apart from state, seeded initialisers) and grouped convolutions.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { customSpec } from '@effnet/scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm } from './batch-norm.js';
import { blockFromSpec } from './block-from-spec.js';
import { Conv2d } from './conv2d.js';
import { ConvBNAct } from './conv-bn-act.js';
import { DepthwiseSeparable } from './depthwise-separable.js';
import { DropPath, dropPath } from './drop-path.js';
import { Dropout } from './dropout.js';
import { EffnetBlockError } from './errors.js';
import { MBConv } from './mbconv.js';
import { applyContext } from './module.js';
import { convPadding, samePadding, symmetricPadding } from './padding.js';
import { ParamStore, valueOf } from './param-store.js';
import { SeparableConv } from './separable-conv.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const EVAL = () => applyContext({ training: false });
const TRAIN = (seed = 0) => applyContext({ training: true, seed });

/** A 3×3 stride-2 conv whose kernel is all ones, so each output is the sum of its padded window. */
function onesConv(padding: 'same' | 'symmetric') {
  const store = new ParamStore();
  const layer = new Conv2d(store.scope('c'), { inChannels: 1, outChannels: 1, kernel: 3, stride: 2, padding });
  tf.tidy(() => layer.kernel.variable!.assign(tf.ones([3, 3, 1, 1])));
  return { store, layer };
}

describe('padding conventions', () => {
  it('samePadding follows TensorFlow: out = ceil(in/s), the odd pixel after', () => {
    // in 4, k 3, s 2: out 2, total (2−1)·2 + 3 − 4 = 1 → [0, 1].
    expect(samePadding(4, 3, 2)).toEqual([0, 1]);
    // in 5, k 3, s 2: out 3, total 2·2 + 3 − 5 = 2 → [1, 1].
    expect(samePadding(5, 3, 2)).toEqual([1, 1]);
    // in 224, k 5, s 2: out 112, total 111·2 + 5 − 224 = 3 → [1, 2].
    expect(samePadding(224, 5, 2)).toEqual([1, 2]);
    // in 7, k 3, s 1: out 7, total 2 → [1, 1]; in 1, k 3, s 2: out 1, total 2 → [1, 1].
    expect(samePadding(7, 3, 1)).toEqual([1, 1]);
    expect(samePadding(1, 3, 2)).toEqual([1, 1]);
    // in 6, k 1, s 2: out 3, total max(2·2 + 1 − 6, 0) = 0.
    expect(samePadding(6, 1, 2)).toEqual([0, 0]);
    expect(symmetricPadding(5)).toEqual([2, 2]);
    expect(convPadding('same', [4, 5], 3, 2)).toEqual([[0, 0], [0, 1], [1, 1], [0, 0]]);
    expect(convPadding('symmetric', [4, 5], 3, 2)).toEqual([[0, 0], [1, 1], [1, 1], [0, 0]]);
  });

  const input = () => tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);

  it('symmetric pads one pixel on every side (PyTorch): windows start at −1', async () => {
    const { store, layer } = onesConv('symmetric');
    const x = input();
    const out = layer.apply(x, EVAL());
    // Rows/cols {−1,0,1} and {1,2,3}: 1+2+5+6, 2+3+4+6+7+8, 5+6+9+10+13+14, 6+7+8+10+11+12+14+15+16.
    expect(Array.from(await out.data())).toEqual([14, 30, 57, 99]);
    tf.dispose([x, out]);
    store.dispose();
  });

  it('same pads only at the bottom and right (TensorFlow): windows start at 0', async () => {
    const { store, layer } = onesConv('same');
    const x = input();
    const out = layer.apply(x, EVAL());
    // Total pad 1, all at the end: rows/cols {0,1,2} and {2,3,(4)}: 1+2+3+5+6+7+9+10+11, 3+4+7+8+11+12, 9+10+11+13+14+15, 11+12+15+16.
    expect(Array.from(await out.data())).toEqual([54, 45, 72, 54]);
    tf.dispose([x, out]);
    store.dispose();
  });

  it('same equals an explicit pad by convPadding, on a depthwise 5×5 stride-2 layer of odd and even sizes', async () => {
    const store = new ParamStore({ seed: 5 });
    const layer = new Conv2d(store.scope('dw'), { inChannels: 2, outChannels: 2, kernel: 5, stride: 2, groups: 2, padding: 'same' });
    for (const [h, w] of [[9, 8], [6, 7]] as const) {
      const x = tf.randomNormal([1, h, w, 2], 0, 1, 'float32', h) as tf.Tensor4D;
      const got = layer.apply(x, EVAL());
      const want = tf.tidy(() => tf.depthwiseConv2d(tf.pad(x, convPadding('same', [h, w], 5, 2)), valueOf<tf.Tensor4D>(layer.kernel), 2, 'valid'));
      expect(got.shape).toEqual([1, Math.ceil(h / 2), Math.ceil(w / 2), 2]);
      expect(Array.from(await got.data())).toEqual(Array.from(await want.data()));
      tf.dispose([x, got, want]);
    }
    store.dispose();
  });
});

describe('batch norm', () => {
  it('updates moving statistics only in training, with the unbiased variance and PyTorch momentum', async () => {
    const store = new ParamStore();
    const bn = new BatchNorm(store.scope('bn'), { channels: 1, eps: 1e-5, momentum: 0.1 });
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const evalOut = bn.apply(x, EVAL());
    // Eval with mean 0, var 1: x / sqrt(1 + 1e-5).
    expect(Array.from(await evalOut.data()).map((v) => Number(v.toFixed(4)))).toEqual([1, 2, 3, 4].map((v) => Number((v / Math.sqrt(1 + 1e-5)).toFixed(4))));
    expect(Array.from(await valueOf(bn.movingMean).data())).toEqual([0]);
    expect(Array.from(await valueOf(bn.movingVariance).data())).toEqual([1]);
    const trained = bn.apply(x, TRAIN());
    // Batch mean 2.5, biased variance 1.25 (normalises the output), unbiased 5/3 (updates the average).
    expect((await valueOf(bn.movingMean).data())[0]).toBeCloseTo(0.25, 6);
    expect((await valueOf(bn.movingVariance).data())[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 6);
    expect(Array.from(await trained.data()).map((v) => Number(v.toFixed(4)))).toEqual([-1.3416, -0.4472, 0.4472, 1.3416]);
    tf.dispose([x, evalOut, trained]);
    store.dispose();
  });

  it('keeps moving statistics apart from the trainable parameters', () => {
    const store = new ParamStore();
    const layer = new ConvBNAct(store.scope('stem'), { inChannels: 3, outChannels: 8, kernel: 3, stride: 2, activation: 'silu', padding: 'symmetric', batchNorm: { eps: 1e-3, momentum: 0.1 } });
    expect(layer.parameters().map((p) => p.name)).toEqual(['stem.conv.kernel', 'stem.bn.gamma', 'stem.bn.beta']);
    expect(layer.state().map((p) => p.name)).toEqual(['stem.bn.movingMean', 'stem.bn.movingVariance']);
    expect(store.countTrainable()).toBe(3 * 3 * 3 * 8 + 16);
    expect(store.countAll()).toBe(3 * 3 * 3 * 8 + 32);
    expect(() => new BatchNorm(store.scope('bad'), { channels: 2, eps: 1e-3, momentum: 0.99 * 2 })).toThrow(EffnetBlockError);
    store.dispose();
  });
});

describe('drop path and dropout', () => {
  it('drop path is the identity in evaluation and a seeded per-sample mask scaled by 1/(1−p) in training', async () => {
    const store = new ParamStore();
    const layer = new DropPath(store.scope('dp'), 0.25);
    const x = tf.ones([64, 2, 2, 1]);
    expect(layer.apply(x, EVAL())).toBe(x);
    const a = layer.apply(x, TRAIN(7));
    const b = layer.apply(x, TRAIN(7));
    const c = layer.apply(x, TRAIN(8));
    const values = Array.from(await a.data());
    expect(values).toEqual(Array.from(await b.data()));
    expect(values).not.toEqual(Array.from(await c.data()));
    expect(new Set(values.map((v) => Number(v.toFixed(5))))).toEqual(new Set([0, 1.33333]));
    const perSample = Array.from({ length: 64 }, (_, n) => values.slice(n * 4, n * 4 + 4));
    expect(perSample.every((s) => s.every((v) => v === s[0]))).toBe(true);
    // The context's rate overrides the layer's.
    const none = layer.apply(x, { ...TRAIN(7), dropPath: 0 });
    expect(none).toBe(x);
    expect(() => dropPath(x, 1, 0)).toThrow(EffnetBlockError);
    tf.dispose([x, a, b, c]);
  });

  it('dropout is the identity in evaluation and seeded in training', async () => {
    const store = new ParamStore();
    const layer = new Dropout(store.scope('dropout'), 0.5);
    const x = tf.ones([4, 32]);
    expect(layer.apply(x, EVAL())).toBe(x);
    const a = layer.apply(x, TRAIN(3));
    const b = layer.apply(x, TRAIN(3));
    const values = Array.from(await a.data());
    expect(values).toEqual(Array.from(await b.data()));
    expect(new Set(values)).toEqual(new Set([0, 2]));
    expect(() => layer.apply(x, TRAIN(3), 1.5)).toThrow(/rate must be a number in \[0, 1\)/);
    tf.dispose([x, a, b]);
  });
});

describe('the Module contract', () => {
  const spec = customSpec({ blocks: ['r1_k3_s2_e4_i8_o16_se0.25'], numClasses: 0, resolution: 16, head: { channels: 32, scaleWithWidth: false } } as never);
  const options = { padding: spec.padding, batchNorm: spec.batchNorm, activation: spec.activation };

  it('names parameters hierarchically and seeds each by name, so the same name gets the same values in any build order', async () => {
    const a = new ParamStore({ seed: 9 });
    const b = new ParamStore({ seed: 9 });
    b.scope('other').add('w', [3], () => tf.zeros([3]));
    const ma = new MBConv(a.scope('blocks.3'), spec.blocks[0]!, options);
    const mb = blockFromSpec(b.scope('blocks.3'), spec.blocks[0]!, options);
    expect(ma.parameters().map((p) => p.name)).toEqual([
      'blocks.3.expand.conv.kernel', 'blocks.3.expand.bn.gamma', 'blocks.3.expand.bn.beta',
      'blocks.3.dw.conv.kernel', 'blocks.3.dw.bn.gamma', 'blocks.3.dw.bn.beta',
      'blocks.3.se.reduce.kernel', 'blocks.3.se.reduce.bias', 'blocks.3.se.expand.kernel', 'blocks.3.se.expand.bias',
      'blocks.3.project.conv.kernel', 'blocks.3.project.bn.gamma', 'blocks.3.project.bn.beta',
    ]);
    expect(ma.state()).toHaveLength(6);
    expect(mb.parameters().map((p) => p.name)).toEqual(ma.parameters().map((p) => p.name));
    const ka = await valueOf(a.get('blocks.3.dw.conv.kernel')!).data();
    expect(Array.from(await valueOf(b.get('blocks.3.dw.conv.kernel')!).data())).toEqual(Array.from(ka));
    const c = new ParamStore({ seed: 10 });
    new MBConv(c.scope('blocks.3'), spec.blocks[0]!, options);
    expect(Array.from(await valueOf(c.get('blocks.3.dw.conv.kernel')!).data())).not.toEqual(Array.from(ka));
    // Depthwise kaiming-normal fan-out: std √(2 / (C·k·k)) as PyTorch counts fan-out.
    const big = new ParamStore({ seed: 1 });
    const dw = new Conv2d(big.scope('dw'), { inChannels: 64, outChannels: 64, kernel: 5, groups: 64 });
    const std = tf.tidy(() => tf.sqrt(tf.moments(valueOf(dw.kernel)).variance).dataSync()[0]!);
    expect(std).toBeGreaterThan(Math.sqrt(2 / (64 * 25)) * 0.9);
    expect(std).toBeLessThan(Math.sqrt(2 / (64 * 25)) * 1.1);
    for (const s of [a, b, c, big]) s.dispose();
  });

  it('gives typed errors for duplicate names, wrong input channels and shape-only values', () => {
    const store = new ParamStore();
    new MBConv(store.scope('b'), spec.blocks[0]!, options);
    expect(() => new MBConv(store.scope('b'), spec.blocks[0]!, options)).toThrow(/b\.expand\.conv\.kernel: parameter is defined twice/);
    const block = store.list().length;
    expect(block).toBeGreaterThan(0);
    const x = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const m = new MBConv(store.scope('c'), spec.blocks[0]!, options);
    expect(() => m.apply(x, EVAL())).toThrow(/c: expected an NHWC batch \[N, H, W, 8\], got shape \[1, 8, 8, 3\]/);
    const counting = new ParamStore({ shapeOnly: true });
    const shapeOnly = new MBConv(counting.scope('s'), spec.blocks[0]!, options);
    expect(counting.countTrainable()).toBe(store.scope('c').list().filter((e) => e.trainable).reduce((n, e) => n + e.shape.reduce((p, d) => p * d, 1), 0));
    const eight = tf.zeros([1, 8, 8, 8]) as tf.Tensor4D;
    expect(() => shapeOnly.apply(eight, EVAL())).toThrow(/has no values: the network was built shape-only/);
    eight.dispose();
    expect(() => new Conv2d(store.scope('g'), { inChannels: 6, outChannels: 8, kernel: 1, groups: 4 })).toThrow(/groups 4 must divide both inChannels 6 and outChannels 8/);
    x.dispose();
    store.dispose();
  });
});

describe('grouped convolution', () => {
  it('equals one convolution per group on its slice of channels', async () => {
    const store = new ParamStore({ seed: 2 });
    const conv = new Conv2d(store.scope('g'), { inChannels: 4, outChannels: 6, kernel: 3, groups: 2 });
    expect(conv.kernel.shape).toEqual([3, 3, 2, 6]);
    const x = tf.randomNormal([1, 5, 5, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const got = conv.apply(x, EVAL());
    const want = tf.tidy(() => {
      const k = valueOf<tf.Tensor4D>(conv.kernel);
      const g0 = tf.conv2d(tf.slice(x, [0, 0, 0, 0], [1, 5, 5, 2]), tf.slice(k, [0, 0, 0, 0], [3, 3, 2, 3]), 1, 1);
      const g1 = tf.conv2d(tf.slice(x, [0, 0, 0, 2], [1, 5, 5, 2]), tf.slice(k, [0, 0, 0, 3], [3, 3, 2, 3]), 1, 1);
      return tf.concat([g0, g1], 3);
    });
    expect(Array.from(await got.data())).toEqual(Array.from(await want.data()));
    tf.dispose([x, got, want]);
    store.dispose();
  });
});

describe('separable convolutions', () => {
  it('SeparableConv is depthwise k×k, then pointwise 1×1 with bias, then BN and activation', async () => {
    const store = new ParamStore({ seed: 6 });
    const layer = new SeparableConv(store.scope('sep'), { inChannels: 3, outChannels: 5, kernel: 3, padding: 'same', batchNorm: { eps: 1e-3, momentum: 0.01 }, activation: 'relu' });
    expect(layer.parameters().map((p) => p.name)).toEqual(['sep.depthwise.kernel', 'sep.pointwise.kernel', 'sep.pointwise.bias', 'sep.bn.gamma', 'sep.bn.beta']);
    tf.tidy(() => layer.pointwise.bias!.variable!.assign(tf.linspace(-1, 1, 5)));
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const got = layer.apply(x, EVAL());
    const want = tf.tidy(() => {
      const dw = tf.depthwiseConv2d(x, valueOf<tf.Tensor4D>(layer.depthwise.kernel), 1, 'same');
      const pw = tf.add(tf.conv2d(dw, valueOf<tf.Tensor4D>(layer.pointwise.kernel), 1, 'same'), valueOf(layer.pointwise.bias!));
      return tf.relu(tf.div(pw, Math.sqrt(1 + 1e-3)));
    });
    const a = await got.data();
    const b = await want.data();
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
    tf.dispose([x, got, want]);
    store.dispose();
  });

  it('the ds block is depthwise + BN + act, SE, pointwise + BN, with a residual when shapes match', () => {
    const spec = customSpec({ blocks: ['ds_r2_k3_s1_e1_c16_se0.25'], stem: { channels: 16 }, numClasses: 0, resolution: 16 } as never);
    const options = { padding: spec.padding, batchNorm: spec.batchNorm, activation: spec.activation };
    const store = new ParamStore();
    const block = blockFromSpec(store.scope('b'), spec.blocks[1]!, options);
    expect(block).toBeInstanceOf(DepthwiseSeparable);
    expect(block.parameters().map((p) => p.name)).toEqual([
      'b.dw.conv.kernel', 'b.dw.bn.gamma', 'b.dw.bn.beta', 'b.se.reduce.kernel', 'b.se.reduce.bias', 'b.se.expand.kernel', 'b.se.expand.bias',
      'b.project.conv.kernel', 'b.project.bn.gamma', 'b.project.bn.beta',
    ]);
    expect(block.parameters().map((p) => p.shape)[0]).toEqual([3, 3, 16, 1]);
    expect((block as DepthwiseSeparable).dropPath).not.toBeNull();
    expect(() => new DepthwiseSeparable(store.scope('w'), { ...spec.blocks[0]!, expandedChannels: 32 }, options)).toThrow(/a ds block has no expansion/);
    store.dispose();
  });
});

// The BiFPN layer: node wiring and parameter count worked out by hand for three levels, output
// shapes, and both paths (a change at P3 reaches P5 bottom-up, a change at P5 reaches P3 top-down).
// The cpu/wasm parity of the whole detector is tested in @effnet/models.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BiFpnLayer } from './bifpn.js';
import { EffnetBlockError } from './errors.js';
import { applyContext } from './module.js';
import { ParamStore } from './param-store.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const OPTIONS = {
  minLevel: 3, maxLevel: 5, inChannels: [8, 16, 24], channels: 16, fusion: 'fast', activation: 'silu',
  padding: 'same', batchNorm: { eps: 1e-3, momentum: 0.01 },
} as const;

function inputs(): tf.Tensor4D[] {
  return [8, 4, 2].map((size, i) => tf.randomNormal([2, size, size, OPTIONS.inChannels[i]!], 0, 1, 'float32', i + 1) as tf.Tensor4D);
}

async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = await Promise.all([a.data(), b.data()]);
  return Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));
}

describe('BiFpnLayer', () => {
  it('levels 3-5: 4 nodes (P4td, P3out, P4out, P5out), 2841 parameters by hand', () => {
    const store = new ParamStore({ shapeOnly: true });
    const layer = new BiFpnLayer(store.scope('bifpn.0'), OPTIONS);
    // Projections (conv 1×1 + bias + BN) where channels differ: P5→16 twice (432 each), P3→16 once (176).
    // Fusion weights 2 + 2 + 3 + 2; each node's separable conv: 9·16 + 16·16 + 16 + 2·16 = 448.
    expect(store.countTrainable()).toBe(432 + 176 + 432 + 9 + 4 * 448);
    const names = layer.parameters().map((p) => p.name);
    expect(names.filter((n) => n.endsWith('fusion.weights'))).toEqual([0, 1, 2, 3].map((i) => `bifpn.0.nodes.${i}.fusion.weights`));
    expect(names).toContain('bifpn.0.nodes.0.resample.1.conv.kernel');
    expect(names).toContain('bifpn.0.nodes.1.resample.0.conv.kernel');
    expect(names).not.toContain('bifpn.0.nodes.0.resample.0.conv.kernel');
    expect(names).toContain('bifpn.0.nodes.3.conv.pointwise.bias');
  });

  it('sum fusion has no weights', () => {
    const store = new ParamStore({ shapeOnly: true });
    new BiFpnLayer(store.scope('b'), { ...OPTIONS, fusion: 'sum' });
    expect(store.countTrainable()).toBe(432 + 176 + 432 + 4 * 448);
  });

  it('outputs have BiFPN width at every level; P3 reaches P5 (bottom-up) and P5 reaches P3 (top-down)', async () => {
    const store = new ParamStore({ seed: 3 });
    const layer = new BiFpnLayer(store.scope('b'), OPTIONS);
    const ctx = applyContext({ training: false });
    const xs = inputs();
    const before = tf.memory().numTensors;
    const outs = layer.apply(xs, ctx);
    expect(tf.memory().numTensors - before).toBe(3);
    expect(outs.map((o) => o.shape)).toEqual([[2, 8, 8, 16], [2, 4, 4, 16], [2, 2, 2, 16]]);
    const p3Changed = [tf.add(xs[0]!, 1) as tf.Tensor4D, xs[1]!, xs[2]!];
    const fromP3 = layer.apply(p3Changed, ctx);
    const p5Changed = [xs[0]!, xs[1]!, tf.add(xs[2]!, 1) as tf.Tensor4D];
    const fromP5 = layer.apply(p5Changed, ctx);
    expect(await maxDiff(outs[2]!, fromP3[2]!)).toBeGreaterThan(1e-4);
    expect(await maxDiff(outs[0]!, fromP5[0]!)).toBeGreaterThan(1e-4);
    // The same inputs give the same outputs (evaluation mode changes no state).
    const again = layer.apply(xs, ctx);
    expect(await maxDiff(outs[0]!, again[0]!)).toBe(0);
    tf.dispose([...xs, ...outs, p3Changed[0]!, p5Changed[2]!, ...fromP3, ...fromP5, ...again]);
    store.dispose();
  });

  it('rejects inputs that do not match the levels and channels', () => {
    const store = new ParamStore();
    const layer = new BiFpnLayer(store.scope('b'), OPTIONS);
    const xs = inputs();
    expect(() => layer.apply(xs.slice(0, 2), applyContext({ training: false }))).toThrow(EffnetBlockError);
    expect(() => new BiFpnLayer(store.scope('c'), { ...OPTIONS, inChannels: [8] })).toThrow(/one channel count per level/);
    tf.dispose(xs);
    store.dispose();
  });
});

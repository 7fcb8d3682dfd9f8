// The shared heads: one set of separable-conv weights for every level, one BN per level and layer,
// the class prior in the prediction bias, and per-level outputs that differ only through the BNs.
import * as tf from '@tensorflow/tfjs-core';
import { ParamStore, applyContext } from '@effnet/blocks';
import { describe, expect, it } from 'vitest';
import { HeadNet } from './head-net.js';
import '../../test/detection-backends.js';

const OPTIONS = { channels: 8, outputs: 12, layers: 2, levels: 3, activation: 'silu', padding: 'same', batchNorm: { eps: 1e-3, momentum: 0.01 } } as const;

describe('HeadNet', () => {
  it('weights shared across levels, BN per level: 2·(9·8 + 8·8 + 8 + 3·2·8) + 9·8 + 8·12 + 12 parameters', () => {
    const store = new ParamStore({ shapeOnly: true });
    const head = new HeadNet(store.scope('classNet'), OPTIONS);
    expect(store.countTrainable()).toBe(2 * (72 + 64 + 8 + 48) + 72 + 96 + 12);
    const names = head.parameters().map((p) => p.name);
    expect(names).toContain('classNet.layers.1.bn.2.gamma');
    expect(names).toContain('classNet.predict.pointwise.bias');
    expect(names.filter((n) => n.includes('depthwise'))).toHaveLength(3);
    expect(head.state().map((p) => p.name)).toContain('classNet.layers.0.bn.0.movingMean');
  });

  it('the prediction bias starts at the prior; levels differ only through their BNs', async () => {
    const store = new ParamStore({ seed: 1 });
    const head = new HeadNet(store.scope('h'), { ...OPTIONS, predictionBias: -Math.log(99) });
    const bias = await store.get('h.predict.pointwise.bias')!.variable!.data();
    bias.forEach((v) => expect(v).toBeCloseTo(-Math.log(99), 5));
    const x = tf.randomNormal([1, 4, 4, 8], 0, 1, 'float32', 7) as tf.Tensor4D;
    const ctx = applyContext({ training: false });
    const [a, b] = [head.apply(x, 0, ctx), head.apply(x, 1, ctx)];
    // Fresh BNs are identical, so the levels agree until training changes one of them.
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.tidy(() => store.get('h.layers.0.bn.1.beta')!.variable!.assign(tf.fill([8], 0.5)));
    const c = head.apply(x, 1, ctx);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, c))));
    expect((await diff.data())[0]).toBeGreaterThan(1e-3);
    expect(a.shape).toEqual([1, 4, 4, 12]);
    tf.dispose([x, a, b, c, diff]);
    store.dispose();
  });
});

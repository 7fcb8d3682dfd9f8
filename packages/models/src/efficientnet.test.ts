import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { cost, customSpec, preset, presetNames, type ModelSpec } from '@effnet/scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet, efficientnet } from './efficientnet.js';
import { EffnetModelError } from './errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('parameter counts', () => {
  const classifiers = presetNames().filter((name) => !name.startsWith('efficientdet'));
  it.each(classifiers)('%s: the built model counts exactly cost().params (shapes only, nothing allocated)', (name) => {
    const model = efficientnet(name, { shapeOnly: true });
    expect(model.countParams()).toBe(cost(preset(name)).params);
    expect(tf.memory().numTensors).toBe(0);
  });
});

function tinySpec(): ModelSpec {
  return customSpec({
    blocks: ['r1_k3_s1_e1_i8_o8_c1', 'r1_k3_s2_e4_i8_o16_c1', 'r2_k3_s2_e4_i16_o24_se0.25'],
    head: { channels: 32, scaleWithWidth: false },
    numClasses: 4,
    resolution: 16,
  } as never);
}

describe('training and evaluation modes', () => {
  it('a custom network lowers its loss over 30 SGD steps on a fixed batch', () => {
    const model = new EfficientNet(tinySpec(), { seed: 3 });
    const x = tf.randomNormal([8, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
    const optimizer = tf.train.momentum(0.05, 0.9);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true, seed: step })) as tf.Scalar, true, model.trainableVariables())!;
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) * 0.7);
    optimizer.dispose();
    (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });

  it('changes BN statistics only in training; dropout and drop path are identity in eval and seeded in training', async () => {
    const model = new EfficientNet({ ...tinySpec(), dropout: 0.5, dropPath: 0.5 }, { seed: 4 });
    const x = tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const stats = () => Array.from(model.namedVariables()['blocks.1.expand.bn.movingMean']!.dataSync());
    const before = stats();
    const e1 = model.predict(x);
    const e2 = model.predict(x);
    expect(Array.from(await e1.data())).toEqual(Array.from(await e2.data()));
    expect(stats()).toEqual(before);
    const t1 = model.forward(x, { training: true, seed: 11 });
    expect(stats()).not.toEqual(before);
    const t2 = model.forward(x, { training: true, seed: 11 });
    const t3 = model.forward(x, { training: true, seed: 12 });
    // BN statistics moved between t1 and t2, but in training the batch statistics are used: same seed, same output.
    expect(Array.from(await t1.data())).toEqual(Array.from(await t2.data()));
    expect(Array.from(await t1.data())).not.toEqual(Array.from(await t3.data()));
    tf.dispose([x, e1, e2, t1, t2, t3]);
    model.dispose();
  });

  it('rejects inputs of the wrong channel count and detector presets', () => {
    const model = new EfficientNet(tinySpec());
    const x = tf.zeros([1, 16, 16, 1]) as tf.Tensor4D;
    expect(() => model.predict(x)).toThrow(EffnetModelError);
    expect(() => model.predict(x)).toThrow(/expected NHWC images \[batch, height, width, 3\], got shape \[1, 16, 16, 1\]/);
    expect(() => efficientnet('efficientdet-d0')).toThrow(/is a detector/);
    x.dispose();
    model.dispose();
  });
});

import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { ParamStore } from '@effnet/blocks';
import { cost, customSpec, preset, presetNames, type ModelSpec } from '@effnet/scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet, efficientnet } from './efficientnet.js';
import { EffnetModelError } from './errors.js';
import { preprocess } from './preprocessing.js';

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
    const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
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

describe('features (timm featuresOnly)', () => {
  it('every paper classifier preset has levels at strides 2, 4, 8, 16, 32 with timm’s channels for b0 and v2-s', () => {
    for (const name of presetNames().filter((n) => !n.startsWith('efficientdet') && preset(n).family !== 'custom')) {
      const info = efficientnet(name, { shapeOnly: true }).featureInfo();
      expect(info.map((l) => l.reduction), name).toEqual([2, 4, 8, 16, 32]);
      expect(info.map((l) => l.index)).toEqual([0, 1, 2, 3, 4]);
    }
    // The small 28×28 presets have a stride-1 stem and two stride-2 stages.
    expect(efficientnet('efficientnetv2-28-lite', { shapeOnly: true }).featureInfo().map((l) => l.reduction)).toEqual([1, 2, 4]);
    // timm's feature_info: efficientnet_b0 [16, 24, 40, 112, 320], tf_efficientnetv2_s [24, 48, 64, 160, 256].
    expect(efficientnet('efficientnet-b0', { shapeOnly: true }).featureInfo().map((l) => l.channels)).toEqual([16, 24, 40, 112, 320]);
    expect(efficientnet('efficientnetv2-s', { shapeOnly: true }).featureInfo().map((l) => l.channels)).toEqual([24, 48, 64, 160, 256]);
    expect(efficientnet('efficientnet-b0', { shapeOnly: true }).featureInfo()[2]).toEqual({ index: 2, reduction: 8, channels: 40, module: 'blocks.4' });
  });

  it('returns the chosen levels in outIndices order at any input size, and refuses bad indices', () => {
    const model = new EfficientNet(tinySpec(), { seed: 5 });
    const x = tf.randomNormal([2, 24, 40, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    try {
      const info = model.featureInfo();
      expect(info.map((l) => [l.reduction, l.channels])).toEqual([[2, 8], [4, 16], [8, 24]]);
      const [c, a] = model.features(x, { outIndices: [2, 0] });
      expect(c!.shape).toEqual([2, 3, 5, 24]);
      expect(a!.shape).toEqual([2, 12, 20, 8]);
      const all = model.features(x);
      expect(all.map((t) => t.shape)).toEqual([[2, 12, 20, 8], [2, 6, 10, 16], [2, 3, 5, 24]]);
      expect(Array.from(all[2]!.dataSync())).toEqual(Array.from(c!.dataSync()));
      expect(() => model.features(x, { outIndices: [3] })).toThrow(/outIndices: 3 is not a feature level; levels are 0…2 \(reductions 2, 4, 8\)/);
      expect(() => model.features(x, { outIndices: [1, 1] })).toThrow(EffnetModelError);
      const logits = model.predict(x);
      expect(logits.shape).toEqual([2, 4]);
      tf.dispose([c!, a!, ...all, logits]);
    } finally {
      x.dispose();
      model.dispose();
    }
  });
});

describe('featuresOnly: the backbone without head or classifier', () => {
  it('builds stem and blocks only, with the classifier’s names and initial values; forward() is refused', () => {
    const before = tf.memory().numTensors;
    const full = new EfficientNet(tinySpec(), { seed: 5 });
    const backbone = efficientnet(tinySpec(), { seed: 5, featuresOnly: true });
    const x = tf.randomNormal([2, 24, 40, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    try {
      expect(backbone.featuresOnly).toBe(true);
      const names = Object.keys(backbone.namedVariables());
      expect(names.some((n) => /^(head|classifier)\./.test(n))).toBe(false);
      expect(names).toEqual(Object.keys(full.namedVariables()).filter((n) => !/^(head|classifier)\./.test(n)));
      // head: 1×1 conv 24→32 (768) + BN (64); classifier: 32×4 + 4.
      expect(full.countParams() - backbone.countParams()).toBe(768 + 64 + 132);
      const [ours] = backbone.features(x, { outIndices: [2] });
      const [theirs] = full.features(x, { outIndices: [2] });
      expect(Array.from(ours!.dataSync())).toEqual(Array.from(theirs!.dataSync()));
      tf.dispose([ours!, theirs!]);
      expect(() => backbone.forward(x, { training: false })).toThrow(EffnetModelError);
      expect(() => backbone.predict(x)).toThrow(/built featuresOnly \(no head or classifier\): call features\(\)/);
    } finally {
      x.dispose();
      full.dispose();
      backbone.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('built inside another store’s scope: prefixed names, own count, the owner disposes', () => {
    const before = tf.memory().numTensors;
    const owner = new ParamStore({ seed: 5 });
    const alone = new EfficientNet(tinySpec(), { seed: 5, featuresOnly: true });
    try {
      owner.scope('other').add('w', [3], (shape) => tf.zeros(shape));
      const inside = new EfficientNet(tinySpec(), { featuresOnly: true, scope: owner.scope('backbone') });
      expect(inside.countParams()).toBe(alone.countParams());
      expect(Object.keys(inside.namedVariables())).toEqual(Object.keys(alone.namedVariables()).map((n) => `backbone.${n}`));
      expect(inside.trainableVariables()).toHaveLength(alone.trainableVariables().length);
      expect(() => inside.dispose()).toThrow(/scope 'backbone'\); dispose that network instead/);
      expect(() => new EfficientNet(tinySpec(), { seed: 1, scope: owner.scope('again') })).toThrow(EffnetModelError);
    } finally {
      owner.dispose();
      alone.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('padding conventions in a network', () => {
  it('same and symmetric give different logits from the same weights (stride-2 layers), equal shapes', async () => {
    const symmetric = new EfficientNet({ ...tinySpec(), padding: 'symmetric' }, { seed: 8 });
    const same = new EfficientNet({ ...tinySpec(), padding: 'same' }, { seed: 8 });
    const x = tf.randomNormal([1, 16, 16, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    try {
      expect(Array.from(same.store.variables()['stem.conv.kernel']!.dataSync())).toEqual(Array.from(symmetric.store.variables()['stem.conv.kernel']!.dataSync()));
      const a = same.predict(x);
      const b = symmetric.predict(x);
      expect(a.shape).toEqual(b.shape);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
      expect(diff).toBeGreaterThan(1e-3);
      tf.dispose([a, b]);
    } finally {
      x.dispose();
      same.dispose();
      symmetric.dispose();
    }
  });
});

describe('preprocessing', () => {
  it('is data on the spec and a function: torchvision mean/std outside, raw 0-255 normalised inside', async () => {
    const v1 = preset('efficientnet-b0');
    expect(v1.preprocessing).toEqual({ kind: 'imagenet', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    const pixels = tf.tensor4d([255, 0, 127.5, 0, 255, 255], [1, 1, 2, 3]);
    const out = preprocess(pixels, v1);
    const want = [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0.5 - 0.406) / 0.225, (0 - 0.485) / 0.229, (1 - 0.456) / 0.224, (1 - 0.406) / 0.225];
    Array.from(await out.data()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    const raw = { kind: 'raw255', mean: v1.preprocessing.mean, std: v1.preprocessing.std } as const;
    const kept = preprocess(pixels, raw);
    expect(Array.from(await kept.data())).toEqual([255, 0, 127.5, 0, 255, 255]);
    expect(() => preprocess(pixels, { kind: 'bgr' } as never)).toThrow(/preprocessing: expected \{ kind: 'imagenet' \| 'raw255'/);
    // A raw255 model normalises inside: raw pixels into it equal preprocessed pixels into the imagenet twin.
    const imagenetModel = new EfficientNet(tinySpec(), { seed: 9 });
    const rawModel = new EfficientNet({ ...tinySpec(), preprocessing: raw }, { seed: 9 });
    const images = tf.tidy(() => tf.mul(tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 4), 255)) as tf.Tensor4D;
    const normalised = preprocess(images, tinySpec());
    const a = rawModel.predict(images);
    const b = imagenetModel.predict(normalised);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([pixels, out, kept, images, normalised, a, b]);
    imagenetModel.dispose();
    rawModel.dispose();
  });
});

describe('building from options and any spec', () => {
  it('applies numClasses, inChannels and padding overrides, and builds ds blocks with cost()’s count', () => {
    const gray = efficientnet('efficientnet-b0', { numClasses: 7, inChannels: 1, padding: 'same', shapeOnly: true });
    expect(gray.spec.padding).toBe('same');
    expect(gray.store.get('stem.conv.kernel')!.shape).toEqual([3, 3, 1, 32]);
    expect(gray.store.get('classifier.kernel')!.shape).toEqual([1280, 7]);
    expect(gray.countParams()).toBe(cost(gray.spec).params);
    const ds = customSpec({ blocks: ['ds_r1_k3_s1_e1_c16_se0.25', 'ir_r2_k3_s2_e6_c24_se0.25'], stem: { channels: 32 }, numClasses: 5, resolution: 32 } as never);
    const model = efficientnet(ds, { shapeOnly: true });
    expect(model.spec.blocks[0]!.kind).toBe('ds');
    expect(model.countParams()).toBe(cost(ds).params);
  });
});

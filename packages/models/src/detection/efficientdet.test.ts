// EfficientDet: parameter counts of D0-D7 (and D7x) equal to cost() of @effnet/scaling and within
// 2 % of the google/automl table; a tiny custom detector's outputs on the anchor layout, equal on
// cpu and wasm; detect() and loss() leak-free; a few training steps lower the loss.
import * as tf from '@tensorflow/tfjs-core';
import { cost, detectorPreset, type DetectorSpec } from '@effnet/scaling';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { EfficientDet, efficientdet } from './efficientdet.js';
import { TEST_BACKENDS, useBackend } from '../../test/detection-backends.js';
import { tinyDetectorSpec } from '../../test/tiny-detector.js';

afterAll(async () => {
  await useBackend('cpu');
});

// Parameters from the google/automl README (the spec's table), in millions.
const TABLE: [string, number][] = [
  ['efficientdet-d0', 3.9], ['efficientdet-d1', 6.6], ['efficientdet-d2', 8.1], ['efficientdet-d3', 12.0],
  ['efficientdet-d4', 20.7], ['efficientdet-d5', 33.7], ['efficientdet-d6', 51.9], ['efficientdet-d7', 51.9], ['efficientdet-d7x', 77.0],
];

describe('parameter counts', () => {
  it.each(TABLE)('%s: the built model counts what cost() counts, within 2 percent of %sM', (name, millions) => {
    const model = efficientdet(name, { shapeOnly: true });
    const built = model.countParams();
    expect(built).toBe(cost(detectorPreset(name)).params);
    expect(Math.abs(built / (millions * 1e6) - 1)).toBeLessThan(0.02);
  });
});

describe.each(TEST_BACKENDS)('a tiny detector on %s', (backend) => {
  const spec: DetectorSpec = tinyDetectorSpec({ numClasses: 3, resolution: 64 });

  it('raw outputs cover every anchor; numClasses changes only the class net', async () => {
    await useBackend(backend);
    const model = new EfficientDet(spec, { seed: 1 });
    const before = tf.memory().numTensors;
    const images = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const { classLogits, boxDeltas } = model.forward(images, { training: false });
    const anchors = model.anchors(64);
    expect(classLogits.shape).toEqual([2, anchors.count, 3]);
    expect(boxDeltas.shape).toEqual([2, anchors.count, 4]);
    // The class net starts at the prior 0.01: logits near −log(99).
    const mean = tf.mean(classLogits);
    const meanLogit = (await mean.data())[0]!;
    mean.dispose();
    expect(meanLogit).toBeLessThan(-3);
    tf.dispose([images, classLogits, boxDeltas]);
    expect(tf.memory().numTensors).toBe(before);
    expect(model.countParams()).toBe(cost(spec).params);
    model.dispose();
  });

  it('detect() returns at most 100 boxes per image inside the image, and leaks nothing', async () => {
    await useBackend(backend);
    const model = new EfficientDet(spec, { seed: 1 });
    const before = tf.memory().numTensors;
    const pixels = tf.randomUniform([2, 64, 64, 3], 0, 255, 'float32', 9) as tf.Tensor4D;
    const detections = await model.detect(pixels, { scoreThreshold: 0 });
    expect(detections).toHaveLength(2);
    for (const image of detections) {
      expect(image.length).toBeGreaterThan(0);
      expect(image.length).toBeLessThanOrEqual(100);
      for (const d of image) {
        expect(d.box[0]).toBeGreaterThanOrEqual(0);
        expect(d.box[3]).toBeLessThanOrEqual(64);
        expect(d.classId).toBeLessThan(3);
      }
    }
    pixels.dispose();
    // What stays is predict's fused form (its folded constants, kept until dispose); another call adds nothing.
    const kept = tf.memory().numTensors - before;
    expect(kept).toBeGreaterThan(0);
    const again = tf.randomUniform([1, 64, 64, 3], 0, 255, 'float32', 2) as tf.Tensor4D;
    await model.detect(again, { scoreThreshold: 0 });
    again.dispose();
    expect(tf.memory().numTensors).toBe(before + kept);
    model.dispose();
  });

  // Gradients of convolutions on wasm need @effnet/backend-wasm's kernels, which @effnet/models may
  // not import (models never import a backend): wasm training is tested in tools/detection-data.
  if (backend !== 'cpu') console.log(`no training-step test on ${backend} here: its conv gradients come from @effnet/backend-wasm, which models may not import; tools/detection-data trains on wasm`);
  else it('training steps on two labelled images lower the loss, and loss() leaks nothing', async () => {
    await useBackend(backend);
    const model = new EfficientDet(spec, { seed: 2 });
    const images = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const boxes = [[{ box: [8, 8, 40, 40] as [number, number, number, number], classId: 1 }], [{ box: [20, 4, 60, 30] as [number, number, number, number], classId: 2 }]];
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(1e-2);
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      const value = optimizer.minimize(() => model.loss(images, boxes).total, true, model.trainableVariables());
      losses.push((await value!.data())[0]!);
      value!.dispose();
    }
    optimizer.dispose();
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
    model.dispose();
  });
});

describe('cpu and wasm agree', () => {
  // Freshly initialised, evaluation-mode activations shrink towards 0 through the depthwise convs
  // (PyTorch's fan-out init), so the backends are compared in training mode, where every BN
  // normalises with batch statistics and the maps are O(1); drop-path masks replay from the seed.
  it('training-mode pyramid and outputs of the tiny detector match within 1e-3 on O(1) values', async () => {
    const spec = tinyDetectorSpec({ numClasses: 2, resolution: 64 });
    const model = new EfficientDet(spec, { seed: 4 });
    const results: { features: Float32Array; outputs: Float32Array }[] = [];
    for (const backend of TEST_BACKENDS) {
      await useBackend(backend);
      const images = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
      const pyramid = model.pyramid(images, { training: true, seed: 3 });
      const { classLogits, boxDeltas } = model.forward(images, { training: true, seed: 3 });
      const features = Float32Array.from((await Promise.all(pyramid.map((p) => p.data()))).flatMap((d) => Array.from(d)));
      results.push({ features, outputs: Float32Array.from([...(await classLogits.data()), ...(await boxDeltas.data())]) });
      tf.dispose([images, ...pyramid, classLogits, boxDeltas]);
    }
    await useBackend('cpu');
    const [cpu, wasm] = results as [(typeof results)[0], (typeof results)[0]];
    const meanAbs = cpu.features.reduce((a, v) => a + Math.abs(v), 0) / cpu.features.length;
    expect(meanAbs).toBeGreaterThan(0.1);
    const worst = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(worst(cpu.features, wasm.features)).toBeLessThan(1e-3);
    expect(worst(cpu.outputs, wasm.outputs)).toBeLessThan(1e-3);
    model.dispose();
  });

  it('builds its backbone as EfficientNet featuresOnly under `backbone.*` (no head), the names weight files use', () => {
    const spec = tinyDetectorSpec({ numClasses: 2, resolution: 64 });
    const model = new EfficientDet(spec, { shapeOnly: true });
    expect(model.backbone.featuresOnly).toBe(true);
    const names = model.store.list().map((e) => e.name);
    const backboneNames = model.backbone.namedVariables();
    expect(Object.keys(backboneNames)).toEqual([]); // shape-only: nothing allocated
    const inBackbone = names.filter((n) => n.startsWith('backbone.'));
    expect(inBackbone[0]).toBe('backbone.stem.conv.kernel');
    expect(inBackbone.some((n) => n.startsWith('backbone.head.'))).toBe(false);
    expect(new Set(inBackbone.map((n) => n.split('.').slice(1, n.startsWith('backbone.blocks.') ? 3 : 2).join('.')))).toEqual(
      new Set(['stem', ...spec.backbone.blocks.map((_, i) => `blocks.${i}`)]),
    );
    // The classifier's count less its 1×1 head conv and head BN (the backbone spec has no classifier).
    const last = spec.backbone.blocks.at(-1)!.outChannels;
    const head = spec.backbone.head.outChannels;
    expect(model.backbone.countParams()).toBe(cost(spec.backbone).params - (last * head + 2 * head));
  });

  it('rejects images whose sides are not multiples of 2^maxLevel, and classifier specs', () => {
    const model = new EfficientDet(tinyDetectorSpec({ numClasses: 2, resolution: 64 }), { shapeOnly: true });
    const images = tf.zeros([1, 48, 48, 3]) as tf.Tensor4D;
    expect(() => model.forward(images, { training: false })).toThrow(/multiples of/);
    images.dispose();
    expect(() => efficientdet('efficientnet-b0')).toThrow();
    expect(() => new EfficientDet({ family: 'efficientnet' } as unknown as DetectorSpec)).toThrow(EffnetModelError);
  });
});

describe('detector weights', () => {
  it('safetensors round trip gives the same outputs; a file of another spec is refused with the names', async () => {
    const { detectorToSafetensors, loadDetectorSafetensors } = await import('./detector-weights.js');
    const { EffnetWeightsError } = await import('../errors.js');
    const spec = tinyDetectorSpec({ numClasses: 2, resolution: 64 });
    const source = new EfficientDet(spec, { seed: 1 });
    const target = new EfficientDet(spec, { seed: 2 });
    const bytes = await detectorToSafetensors(source);
    loadDetectorSafetensors(target, bytes);
    const images = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const a = source.forward(images, { training: false });
    const b = target.forward(images, { training: false });
    expect(Array.from(await b.classLogits.data())).toEqual(Array.from(await a.classLogits.data()));
    const other = new EfficientDet(tinyDetectorSpec({ numClasses: 3, resolution: 64 }), { seed: 1 });
    expect(() => loadDetectorSafetensors(other, bytes)).toThrow(EffnetWeightsError);
    expect(() => loadDetectorSafetensors(other, bytes)).toThrow(/classNet\.predict\.pointwise\.kernel is \[1, 1, 16, 18\], the detector needs \[1, 1, 16, 27\]/);
    tf.dispose([images, a.classLogits, a.boxDeltas, b.classLogits, b.boxDeltas]);
    for (const m of [source, target, other]) m.dispose();
  });
});

describe('detector manifest', () => {
  it('accepts what it describes and refuses other formats or a wrong class count', async () => {
    const { parseDetectorManifest } = await import('./detector-manifest.js');
    const spec = tinyDetectorSpec({ numClasses: 2, resolution: 64 });
    const manifest = { format: 'effnet-detector', version: 1, spec, classes: ['a', 'b'] };
    expect(parseDetectorManifest(JSON.parse(JSON.stringify(manifest))).spec).toEqual(spec);
    expect(() => parseDetectorManifest({ ...manifest, format: 'effnet-weights' })).toThrow(/not a saved effnet detector/);
    expect(() => parseDetectorManifest({ ...manifest, classes: ['a'] })).toThrow(/must list 2 names/);
  });
});

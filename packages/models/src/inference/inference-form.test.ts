// The inference form runs to the model's own evaluation outputs: classifiers of both paddings,
// both families and a raw255 preset, and EfficientDet's raw outputs.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { detectorPreset, preset, scale, type ModelSpec } from '@effnet/scaling';
import { randomiseBatchNorms } from '../../test/randomise-state.js';
import { EfficientDet } from '../detection/efficientdet.js';
import { EfficientNet } from '../efficientnet.js';
import { EffnetModelError } from '../errors.js';
import { inferenceForm, runInferenceForm } from './index.js';

await tf.setBackend('cpu');

function maxAbs(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

function images(shape: [number, number, number, number], seed = 3): tf.Tensor4D {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

describe('inferenceForm', () => {
  const small = (name: string, padding: 'same' | 'symmetric') => scale(preset(name, { numClasses: 7, padding }) as ModelSpec, { width: 0.25, depth: 0.25, resolution: 1 });
  it.each([
    ['efficientnet-b0', 'symmetric'],
    ['efficientnet-b0', 'same'],
    ['efficientnetv2-s', 'symmetric'],
    ['efficientnetv2-b0', 'same'],
  ] as const)('%s (%s padding) gives the logits of predict within 1e-5', (name, padding) => {
    const model = new EfficientNet(small(name, padding), { seed: 5 });
    randomiseBatchNorms(model.store);
    const x = images([2, 37, 41, 3]);
    const form = inferenceForm(model, { height: 37, width: 41 });
    const [got] = runInferenceForm(form, x);
    const want = model.predict(x);
    expect(got!.shape).toEqual([2, 7]);
    expect(maxAbs(got!, want)).toBeLessThan(1e-5);
    expect(form.nodes.some((n) => n.op === 'conv' && n.pads[0] !== n.pads[1])).toBe(padding === 'same');
    tf.dispose([x, got!, want]);
    model.dispose();
  });

  it('folds every batch norm: no BN variable is a constant of the form', () => {
    const model = new EfficientNet(small('efficientnet-b0', 'symmetric'));
    const form = inferenceForm(model, { height: 32 });
    expect([...form.constants.keys()].filter((k) => /gamma|beta|moving/.test(k))).toEqual([]);
    expect(form.input.shape).toEqual([32, 32, 3]);
    model.dispose();
  });

  it('normalises inside for a raw255 (Keras) preset', () => {
    const spec = preset('efficientnet-b0', { numClasses: 4 });
    const model = new EfficientNet(scale({ ...(spec as ModelSpec), preprocessing: { ...spec.preprocessing, kind: 'raw255' } }, { width: 0.25, depth: 0.25, resolution: 1 }));
    randomiseBatchNorms(model.store, 9);
    const x = tf.tidy(() => tf.mul(tf.add(images([1, 32, 32, 3]), 1), 127.5) as tf.Tensor4D);
    const [got] = runInferenceForm(inferenceForm(model, { height: 32 }), x);
    const want = model.predict(x);
    expect(maxAbs(got!, want)).toBeLessThan(1e-5);
    tf.dispose([x, got!, want]);
    model.dispose();
  });

  it("gives EfficientDet-D0's raw outputs", () => {
    const detector = new EfficientDet(detectorPreset('efficientdet-d0', { numClasses: 3 }), { seed: 2 });
    randomiseBatchNorms(detector.store, 4);
    const x = images([1, 128, 128, 3]);
    const [classes, boxes] = runInferenceForm(inferenceForm(detector, { height: 128 }), x);
    const want = detector.forward(x, { training: false });
    expect(classes!.shape).toEqual(want.classLogits.shape);
    expect(maxAbs(classes!, want.classLogits)).toBeLessThan(1e-4);
    expect(maxAbs(boxes!, want.boxDeltas)).toBeLessThan(1e-4);
    tf.dispose([x, classes!, boxes!, want.classLogits, want.boxDeltas]);
    detector.dispose();
  });

  it('refuses a featuresOnly backbone, a bad size and images of another size', () => {
    const backbone = new EfficientNet(small('efficientnet-b0', 'symmetric'), { featuresOnly: true });
    expect(() => inferenceForm(backbone)).toThrow(EffnetModelError);
    backbone.dispose();
    const model = new EfficientNet(small('efficientnet-b0', 'symmetric'));
    expect(() => inferenceForm(model, { height: 0 })).toThrow(/height: must be an integer/);
    expect(() => inferenceForm(model, { height: Number.NaN })).toThrow(EffnetModelError);
    const form = inferenceForm(model, { height: 32 });
    const x = images([1, 33, 32, 3]);
    expect(() => runInferenceForm(form, x)).toThrow(/build the form at this size/);
    x.dispose();
    model.dispose();
  });
});

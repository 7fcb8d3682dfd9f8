// The onnx adapter: registered on import, inference only, activates with onnxruntime-node; an
// OnnxModel gives the classifier's logits and the detector's raw outputs of the cpu backend within
// 1e-4; wrong sizes and wrong calls are refused with EffnetBackendError.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetBackendError, getAdapter, registerAdapter, useBackend } from '@effnet/backends';
import { EfficientDet, EfficientNet } from '@effnet/models';
import { detectorPreset, preset, scale, type ModelSpec } from '@effnet/scaling';
import { randomiseBatchNorms } from '../test/randomise-state.js';
import { OnnxModel, onnxAdapter } from './index.js';

await tf.setBackend('cpu');

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('onnx adapter', () => {
  it('is registered on import, inference only, and activates with onnxruntime-node', async () => {
    expect(getAdapter('onnx')).toBe(onnxAdapter);
    expect(onnxAdapter.capabilities).toMatchObject({ inference: true, training: false });
    expect(await onnxAdapter.isAvailable()).toEqual({ available: true });
    expect(await useBackend('onnx')).toBe(onnxAdapter);
    expect((await onnxAdapter.describe()).versions['onnxruntime-node']).toMatch(/^1\.\d+\.\d+/);
    expect(() => registerAdapter({ ...onnxAdapter }, 'my-app')).toThrow(/already registered by @effnet\/backend-onnx; my-app tried/);
  });

  it('runs a classifier with the logits of the cpu backend (1e-4), any batch', async () => {
    const model = new EfficientNet(scale(preset('efficientnetv2-b0', { numClasses: 5 }) as ModelSpec, { width: 0.5, depth: 0.5, resolution: 1 }), { seed: 2 });
    randomiseBatchNorms(model.store, 3);
    const onnx = await OnnxModel.create(model, { height: 48, threads: 1 });
    for (const batch of [1, 3]) {
      const x = tf.randomUniform([batch, 48, 48, 3], -2, 2, 'float32', batch) as tf.Tensor4D;
      const got = await onnx.predict(x);
      const want = model.predict(x);
      expect(got.shape).toEqual([batch, 5]);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
      tf.dispose([x, got, want]);
    }
    const wrong = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    await expect(onnx.predict(wrong)).rejects.toThrow(EffnetBackendError);
    await expect(onnx.forward(wrong)).rejects.toThrow(/classifier; call predict/);
    wrong.dispose();
    await onnx.dispose();
    model.dispose();
  });

  it("runs EfficientDet-D0's raw outputs within 1e-4", async () => {
    const detector = new EfficientDet(detectorPreset('efficientdet-d0', { numClasses: 4 }), { seed: 1 });
    randomiseBatchNorms(detector.store, 6);
    const onnx = await OnnxModel.create(detector, { height: 128 });
    const x = tf.randomUniform([1, 128, 128, 3], -2, 2, 'float32', 9) as tf.Tensor4D;
    const got = await onnx.forward(x);
    const want = detector.forward(x, { training: false });
    expect(maxAbsDiff(got.classLogits, want.classLogits)).toBeLessThan(1e-4);
    expect(maxAbsDiff(got.boxDeltas, want.boxDeltas)).toBeLessThan(1e-4);
    await expect(onnx.predict(x)).rejects.toThrow(/detector/);
    tf.dispose([x, got.classLogits, got.boxDeltas, want.classLogits, want.boxDeltas]);
    await onnx.dispose();
    detector.dispose();
  });
});

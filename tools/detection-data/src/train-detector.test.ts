// Training on wasm with @effnet/backend-wasm's gradient kernels: a few steps of the small
// detector lower the loss, the report is complete, and no tensor is left behind.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@effnet/backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { cost } from '@effnet/scaling';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDetectionSet } from './generate.js';
import { loadPhotographs } from './photographs.js';
import { trainDetector, trainingDetectorSpec } from './train-detector.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainDetector on wasm', () => {
  it('20 steps on 16 images lower the loss; AP is computed on held-out images; leak-free', async () => {
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const photographs = await loadPhotographs(200);
    const train = generateDetectionSet(photographs, { count: 16, size: 64, seed: 1 });
    const validation = generateDetectionSet(photographs, { count: 4, size: 64, seed: 2 });
    const detector = { backboneWidth: 0.25, backboneDepth: 0.25, channels: 16, bifpnLayers: 1, headLayers: 1 };
    const before = tf.memory().numTensors;
    const report = await trainDetector({ train, validation, size: 64, numClasses: 3, seconds: 600, maxSteps: 20, batch: 4, learningRate: 3e-3, warmupSteps: 5, detector });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.steps).toBe(20);
    expect(report.params).toBe(cost(trainingDetectorSpec(3, 64, detector)).params);
    expect(report.loss.last).toBeLessThan(report.loss.first);
    expect(report.metrics.ap50).toBeGreaterThanOrEqual(0);
    expect(report.metrics.apPerThreshold).toHaveLength(10);
  });
});

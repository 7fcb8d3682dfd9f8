// The README's augmentation example, run as written (with its tensors disposed).
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { mixup, paperPlan, randAugment, resizeImages, smoothLabels, stageAt } from './index.js';

it('the README augmentation example runs and gives what its comments say', () => {
  tf.tidy(() => {
    const stage = stageAt(paperPlan('efficientnetv2-m'), 200);
    expect([stage.imageSize, stage.randAugmentMagnitude, Number(stage.mixupAlpha.toFixed(3))]).toEqual([296, 15, 0.133]);
    const augment = randAugment({ n: 2, magnitude: stage.randAugmentMagnitude, seed: 1, range: '0-1' });
    const mix = mixup(stage.mixupAlpha, { seed: 1 });
    const images = resizeImages(tf.randomUniform([4, 64, 64, 3], 0, 1, 'float32', 7) as tf.Tensor4D, 96);
    const labels = smoothLabels(tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10), 'float32') as tf.Tensor2D, 0.1);
    const batch = mix(augment(images, 0), labels, 0);
    expect(batch.images.shape).toEqual([4, 96, 96, 3]);
    for (const s of tf.sum(batch.labels, 1).dataSync()) expect(s).toBeCloseTo(1, 6);
  });
});

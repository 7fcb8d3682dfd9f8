// decodePredictions: ImageNet names by default, exact probabilities and order, typed errors.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodePredictions } from './decode-predictions.js';
import { EffnetModelError } from './errors.js';
import { IMAGENET_CLASSES } from './imagenet-classes.js';

describe('IMAGENET_CLASSES', () => {
  it('holds the 1,000 distinct ImageNet-1k names in class order', () => {
    expect(IMAGENET_CLASSES).toHaveLength(1000);
    expect(new Set(IMAGENET_CLASSES).size).toBe(1000);
    expect([IMAGENET_CLASSES[0], IMAGENET_CLASSES[281], IMAGENET_CLASSES[999]]).toEqual(['tench', 'tabby', 'toilet tissue']);
  });
});

describe('decodePredictions', () => {
  it('names the top classes of each image with their softmax probabilities, best first', async () => {
    const row = new Float32Array(1000);
    row[281] = 3;
    row[285] = 2;
    const logits = tf.tensor2d([...row, ...new Float32Array(1000)], [2, 1000]);
    const [cat, flat] = await decodePredictions(logits, { top: 2 });
    logits.dispose();
    const z = Math.exp(3) + Math.exp(2) + 998;
    expect(cat!.map((p) => p.name)).toEqual(['tabby', 'Egyptian cat']);
    expect(cat![0]!.probability).toBeCloseTo(Math.exp(3) / z, 6);
    // A tie keeps the lower index first.
    expect(flat!.map((p) => p.index)).toEqual([0, 1]);
  });

  it('takes other class names and rejects logits of another width', async () => {
    const logits = tf.tensor2d([[0, 1]]);
    expect((await decodePredictions(logits, { classNames: ['a', 'b'], top: 1 }))[0]![0]!.name).toBe('b');
    await expect(decodePredictions(logits)).rejects.toThrow(EffnetModelError);
    await expect(decodePredictions(logits)).rejects.toThrow(/expected \[batch, 1000\] logits/);
    await expect(decodePredictions(logits, { classNames: ['a', 'b'], top: 0 })).rejects.toThrow(/top/);
    logits.dispose();
  });
});

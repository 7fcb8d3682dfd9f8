// NMS: hand cases, class-wise behaviour, the same indices as torchvision.ops.nms and batched_nms on
// seeded boxes (tools/fixtures/nms_reference.py), and as tf.image.nonMaxSuppression on random boxes
// at several thresholds on cpu and wasm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { classWiseNms, nonMaxSuppression } from './nms.js';
import { TEST_BACKENDS, useBackend } from '../../test/detection-backends.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('nonMaxSuppression', () => {
  // B overlaps A by 90/110 = 0.82, C is apart, D overlaps C by 50/150 = 0.33.
  const boxes = [0, 0, 10, 10, 0, 1, 10, 11, 20, 20, 30, 30, 20, 25, 30, 35];
  const scores = [0.9, 0.95, 0.7, 0.6];

  it('hand case: keeps B (best), drops A (IoU 0.82 with B), keeps C and D (IoU 0.33)', () => {
    expect(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5 })).toEqual([1, 2, 3]);
  });

  it('a lower threshold also drops D; maxOutput and scoreThreshold cut the list', () => {
    expect(nonMaxSuppression(boxes, scores, { iouThreshold: 0.3 })).toEqual([1, 2]);
    expect(nonMaxSuppression(boxes, scores, { maxOutput: 2 })).toEqual([1, 2]);
    expect(nonMaxSuppression(boxes, scores, { scoreThreshold: 0.65 })).toEqual([1, 2]);
  });

  it('class-wise: the same box in two classes is kept twice', () => {
    const same = [0, 0, 10, 10, 0, 0, 10, 10, 0, 1, 10, 11];
    expect(classWiseNms(same, [0.8, 0.9, 0.7], [0, 1, 0])).toEqual([1, 0]);
    expect(classWiseNms(same, [0.8, 0.9, 0.7], [0, 1, 2])).toEqual([1, 0, 2]);
    expect(classWiseNms(same, [0.8, 0.9, 0.7], [0, 1, 2], { maxOutput: 2 })).toEqual([1, 0]);
  });

  describe('against torchvision.ops', () => {
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'nms.json'), 'utf8')) as {
      cases: { seed: number; iouThreshold: number; boxes: number[]; scores: number[]; classes: number[]; nms: number[]; batchedNms: number[] }[];
    };
    it.each(fixture.cases.map((c) => [c.seed, c.scores.length, c.iouThreshold, c] as const))('seed %i, %i boxes, IoU %f: nms and batched_nms keep the same indices in the same order', (_seed, _count, _threshold, c) => {
      expect(c.nms.length).toBeGreaterThan(10);
      expect(c.nms.length).toBeLessThan(c.scores.length);
      expect(nonMaxSuppression(c.boxes, c.scores, { iouThreshold: c.iouThreshold })).toEqual(c.nms);
      expect(classWiseNms(c.boxes, c.scores, c.classes, { iouThreshold: c.iouThreshold })).toEqual(c.batchedNms);
    });
  });

  it('rejects mismatched lengths and thresholds outside [0, 1]', () => {
    expect(() => nonMaxSuppression([0, 0, 1, 1], [0.5, 0.4])).toThrow(EffnetModelError);
    expect(() => nonMaxSuppression([0, 0, 1, 1], [0.5], { iouThreshold: 1.5 })).toThrow(/\[0, 1\]/);
    expect(() => classWiseNms([0, 0, 1, 1], [0.5], [0, 1])).toThrow(/one class per score/);
  });

  describe.each(TEST_BACKENDS)('against tf.image.nonMaxSuppression on %s', (backend) => {
    it.each([
      [0.3, 0.0, 50],
      [0.5, 0.2, 100],
      [0.7, 0.5, 20],
    ])('300 random boxes, IoU %f, score threshold %f, max %i: same indices', async (iouThreshold, scoreThreshold, maxOutput) => {
      await useBackend(backend);
      let s = 12345;
      const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
      const flat: number[] = [];
      const scoreList: number[] = [];
      for (let i = 0; i < 300; i++) {
        const y = rand() * 100;
        const x = rand() * 100;
        flat.push(y, x, y + 5 + rand() * 30, x + 5 + rand() * 30);
        scoreList.push(rand());
      }
      const boxTensor = tf.tensor2d(flat, [300, 4]);
      const scoreTensor = tf.tensor1d(scoreList);
      const selected = await tf.image.nonMaxSuppressionAsync(boxTensor, scoreTensor, maxOutput, iouThreshold, scoreThreshold);
      const reference = Array.from(await selected.data());
      tf.dispose([boxTensor, scoreTensor, selected]);
      // float32 boxes and scores, as the tensors hold them.
      const ours = nonMaxSuppression(Float32Array.from(flat), Float32Array.from(scoreList), { iouThreshold, scoreThreshold, maxOutput });
      expect(reference.length).toBeGreaterThan(5);
      expect(ours).toEqual(reference);
    });
  });
});

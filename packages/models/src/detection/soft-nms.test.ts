// Gaussian soft-NMS on cases computed by hand, class-wise, and batched through post-processing on
// cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { generateAnchors } from './anchors.js';
import { postprocessDetections } from './postprocess.js';
import { classWiseSoftNms, softNms } from './soft-nms.js';
import { TEST_BACKENDS, useBackend } from '../../test/detection-backends.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('softNms (Gaussian, score · exp(−IoU²/σ))', () => {
  it('decays an overlapping box instead of dropping it: IoU ⅓ at σ 0.5 → 0.8·e^(−2/9)', () => {
    // A and B share rows, overlap 50 of 150 (IoU ⅓); C is apart.
    const boxes = [0, 0, 10, 10, 0, 5, 10, 15, 20, 20, 30, 30];
    const { indices, scores } = softNms(boxes, [0.9, 0.8, 0.7]);
    expect(indices).toEqual([0, 2, 1]);
    expect(scores[0]).toBe(0.9);
    expect(scores[1]).toBe(0.7);
    expect(scores[2]).toBeCloseTo(0.8 * Math.exp(-2 / 9), 14);
  });

  it('re-ranks after each pick and decays again: A, then C (IoU 3/7 with A), then B (IoU ⅔ with both)', () => {
    // A [0,0,10,10], B shifted 2 (IoU with A 80/120 = ⅔), C shifted 4 (IoU with A 60/140 = 3/7, with B ⅔).
    const boxes = [0, 0, 10, 10, 0, 2, 10, 12, 0, 4, 10, 14];
    const { indices, scores } = softNms(boxes, [0.9, 0.88, 0.87]);
    expect(indices).toEqual([0, 2, 1]);
    // C: 0.87·exp(−(3/7)²/0.5) = 0.87·e^(−18/49) ≈ 0.6026 beats B: 0.88·e^(−8/9) ≈ 0.3618.
    expect(scores[1]).toBeCloseTo(0.87 * Math.exp(-18 / 49), 14);
    // B decays twice, by A and by C: 0.88·e^(−8/9)·e^(−8/9).
    expect(scores[2]).toBeCloseTo(0.88 * Math.exp(-16 / 9), 14);
  });

  it('a duplicate decays by e^(−1/σ) and leaves below the score threshold; σ widens or narrows the decay', () => {
    const boxes = [0, 0, 10, 10, 0, 0, 10, 10];
    expect(softNms(boxes, [0.9, 0.85]).scores[1]).toBeCloseTo(0.85 * Math.exp(-2), 14);
    expect(softNms(boxes, [0.9, 0.85], { scoreThreshold: 0.2 }).indices).toEqual([0]);
    expect(softNms(boxes, [0.9, 0.85], { sigma: 2 }).scores[1]).toBeCloseTo(0.85 * Math.exp(-0.5), 14);
    expect(softNms(boxes, [0.9, 0.85], { maxOutput: 1 }).indices).toEqual([0]);
    // Equal scores: the lower index is taken first.
    expect(softNms(boxes, [0.5, 0.5]).indices).toEqual([0, 1]);
  });

  it('class-wise: boxes of other classes keep their scores; the merged list is sorted by decayed score', () => {
    const boxes = [0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10];
    const { indices, scores } = classWiseSoftNms(boxes, [0.9, 0.8, 0.7], [0, 1, 0]);
    expect(indices).toEqual([0, 1, 2]);
    expect(scores).toEqual([0.9, 0.8, 0.7 * Math.exp(-2)]);
    expect(classWiseSoftNms(boxes, [0.9, 0.8, 0.7], [0, 1, 0], { maxOutput: 2 }).indices).toEqual([0, 1]);
  });

  it('rejects mismatched lengths, σ ≤ 0 and NaN scores', () => {
    expect(() => softNms([0, 0, 1, 1], [0.5, 0.4])).toThrow(EffnetModelError);
    expect(() => softNms([0, 0, 1, 1], [0.5], { sigma: 0 })).toThrow(/sigma/);
    expect(() => softNms([0, 0, 1, 1], [NaN])).toThrow(/NaN/);
    expect(() => classWiseSoftNms([0, 0, 1, 1], [0.5], [0, 1])).toThrow(/one class per score/);
  });
});

// 64×64 input, P3 (8×8) and P4 (4×4), one square anchor of 4 strides per cell: 80 anchors.
const ANCHORS = generateAnchors({ minLevel: 3, maxLevel: 4, anchorScale: 4, scales: [1], aspectRatios: [[1, 1]] }, 64);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe.each(TEST_BACKENDS)('postprocessDetections with soft-NMS on %s', (backend) => {
  it('batched: per image, the neighbour of the same class is decayed (IoU ⅔ → e^(−8/9)), not dropped', async () => {
    await useBackend(backend);
    const logits = new Float32Array(2 * 80 * 2).fill(-10);
    logits[9 * 2 + 1] = 3; // image 1, anchor 9, class 1
    logits[10 * 2 + 1] = 2; // its neighbour, IoU after clipping 672 / 1008 = ⅔
    logits[80 * 2 + 9 * 2] = 2; // image 2, anchor 9, class 0 alone
    const logitTensor = tf.tensor3d(logits, [2, 80, 2]);
    const deltaTensor = tf.zeros([2, 80, 4]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const [first, second] = await postprocessDetections(logitTensor, deltaTensor, ANCHORS, { nms: 'gaussian' });
    expect(tf.memory().numTensors).toBe(before);
    expect(first!.map((d) => d.classId)).toEqual([1, 1]);
    expect(first![0]!.score).toBeCloseTo(sigmoid(3), 5);
    expect(first![1]!.score).toBeCloseTo(sigmoid(2) * Math.exp(-(4 / 9) / 0.5), 5);
    const [hard] = await postprocessDetections(logitTensor, deltaTensor, ANCHORS);
    expect(hard).toHaveLength(1);
    expect(second!.map((d) => [d.classId, d.box])).toEqual([[0, [0, 0, 28, 28]]]);
    await expect(postprocessDetections(logitTensor, deltaTensor, ANCHORS, { nms: 'linear' as 'hard' })).rejects.toThrow(/'hard' or 'gaussian'/);
    tf.dispose([logitTensor, deltaTensor]);
  });
});

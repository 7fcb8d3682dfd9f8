// Post-processing on hand-made head outputs: top-k per level, decoding, clipping, class-wise NMS,
// the detection limit and a batch whose second image has nothing, on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { generateAnchors } from './anchors.js';
import { decodeBoxes } from './box-coding.js';
import { postprocessDetections } from './postprocess.js';
import { TEST_BACKENDS, useBackend } from '../../test/detection-backends.js';

// 64×64 input, P3 (8×8 cells) and P4 (4×4), one square anchor of 4 strides per cell: 80 anchors.
const ANCHORS = generateAnchors({ minLevel: 3, maxLevel: 4, anchorScale: 4, scales: [1], aspectRatios: [[1, 1]] }, 64);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

afterAll(async () => {
  await useBackend('cpu');
});

describe.each(TEST_BACKENDS)('postprocessDetections on %s', (backend) => {
  it('keeps the best of two overlapping same-class anchors, decodes and clips, and leaves image 2 empty', async () => {
    await useBackend(backend);
    const logits = new Float32Array(2 * 80 * 2).fill(-10);
    logits[9 * 2 + 1] = 3; // anchor 9 (P3 row 1, col 1), class 1
    logits[10 * 2 + 1] = 2; // anchor 10, its neighbour: IoU after clipping 672 / 1008 = 0.67, suppressed
    logits[10 * 2 + 0] = 1.5; // anchor 10 in class 0: another class, kept
    logits[79 * 2 + 0] = 1; // anchor 79 (P4 row 3, col 3), class 0
    const deltas = new Float32Array(2 * 80 * 4);
    deltas[79 * 4] = 0.1;
    const logitTensor = tf.tensor3d(logits, [2, 80, 2]);
    const deltaTensor = tf.tensor3d(deltas, [2, 80, 4]);
    const before = tf.memory().numTensors;
    const [first, second] = await postprocessDetections(logitTensor, deltaTensor, ANCHORS);
    expect(tf.memory().numTensors).toBe(before);
    expect(first!.map((d) => d.classId)).toEqual([1, 0, 0]);
    expect(first![0]!.score).toBeCloseTo(sigmoid(3), 5);
    // Anchor 9: centre (12, 12), side 32 → [−4, −4, 28, 28] clipped to [0, 0, 28, 28].
    expect(first![0]!.box).toEqual([0, 0, 28, 28]);
    expect(first![1]!.score).toBeCloseTo(sigmoid(1.5), 5);
    expect(first![1]!.box).toEqual([0, 4, 28, 36]);
    // Anchor 79: centre (56, 56), side 64, ty 0.1 moves it down by 6.4 → [30.4, 24, 94.4, 88], clipped to 64.
    const decoded = decodeBoxes([0.1, 0, 0, 0], Array.from(ANCHORS.boxes.slice(4 * 79, 4 * 80)));
    expect(decoded[0]).toBeCloseTo(30.4, 4);
    first![2]!.box.forEach((v, c) => expect(v).toBeCloseTo([30.4, 24, 64, 64][c]!, 4));
    expect(first![2]!.score).toBeCloseTo(sigmoid(1), 5);
    expect(second).toEqual([]);
    tf.dispose([logitTensor, deltaTensor]);
  });

  it('caps the number of detections and the candidates per level', async () => {
    await useBackend(backend);
    const logitTensor = tf.zeros([1, 80, 2]) as tf.Tensor3D;
    const deltaTensor = tf.zeros([1, 80, 4]) as tf.Tensor3D;
    const [capped] = await postprocessDetections(logitTensor, deltaTensor, ANCHORS, { maxDetections: 3, iouThreshold: 1 });
    expect(capped).toHaveLength(3);
    // 160 candidates, nothing suppressed at IoU 1: the default limit of 100 applies.
    const [all] = await postprocessDetections(logitTensor, deltaTensor, ANCHORS, { iouThreshold: 1 });
    expect(all).toHaveLength(100);
    const [perLevel] = await postprocessDetections(logitTensor, deltaTensor, ANCHORS, { iouThreshold: 1, topKPerLevel: 2 });
    expect(perLevel).toHaveLength(4);
    tf.dispose([logitTensor, deltaTensor]);
  });

  it('rejects outputs that do not fit the anchors', async () => {
    await useBackend(backend);
    const logitTensor = tf.zeros([1, 79, 2]) as tf.Tensor3D;
    const deltaTensor = tf.zeros([1, 79, 4]) as tf.Tensor3D;
    await expect(postprocessDetections(logitTensor, deltaTensor, ANCHORS)).rejects.toThrow(EffnetModelError);
    tf.dispose([logitTensor, deltaTensor]);
  });
});

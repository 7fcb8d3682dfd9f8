// Box coding and IoU: hand cases, the round trip within 1e-5 (float64 path) and the tensor decoder
// against the plain one on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { decodeBoxes, decodeBoxesTensor, encodeBoxes, iou, iouMatrix } from './box-coding.js';
import { TEST_BACKENDS, useBackend } from '../../test/detection-backends.js';

function randomBoxes(n: number, seed: number, size = 512): Float64Array {
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const y = rand() * size;
    const x = rand() * size;
    out.set([y, x, y + 1 + rand() * size * 0.5, x + 1 + rand() * size * 0.5], 4 * i);
  }
  return out;
}

afterAll(async () => {
  await useBackend('cpu');
});

describe('iou', () => {
  it('hand cases', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [0, 5, 10, 15])).toBeCloseTo(50 / 150, 12);
    expect(iou([0, 0, 10, 10], [5, 5, 15, 15])).toBeCloseTo(25 / 175, 12);
    expect(iou([0, 0, 10, 10], [10, 10, 20, 20])).toBe(0);
    expect(iou([0, 0, 10, 10], [2, 2, 4, 4])).toBeCloseTo(4 / 100, 12);
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });

  it('matrix is row-major [a, b]', () => {
    const m = iouMatrix([0, 0, 10, 10, 0, 5, 10, 15], [0, 0, 10, 10, 5, 5, 15, 15, 100, 100, 110, 110]);
    expect(Array.from(m)).toEqual([1, 25 / 175, 0, 50 / 150, 50 / 150, 0].map((v) => Math.fround(v)));
    expect(() => iouMatrix([0, 0, 1], [0, 0, 1, 1])).toThrow(EffnetModelError);
  });
});

describe('encodeBoxes / decodeBoxes', () => {
  it('hand case: a box twice the anchor, shifted by half the anchor', () => {
    const deltas = encodeBoxes([10, 20, 30, 60], [0, 0, 10, 20]);
    expect(Array.from(deltas)).toEqual([(20 - 5) / 10, (40 - 10) / 20, Math.log(2), Math.log(2)]);
  });

  it('round trip within 1e-5 on 1,000 random boxes and anchors', () => {
    const boxes = randomBoxes(1000, 7);
    const anchors = randomBoxes(1000, 11);
    const back = decodeBoxes(encodeBoxes(boxes, anchors), anchors);
    let worst = 0;
    for (let i = 0; i < boxes.length; i++) worst = Math.max(worst, Math.abs(back[i]! - boxes[i]!));
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('needs one anchor per box', () => {
    expect(() => encodeBoxes([0, 0, 1, 1], [0, 0, 1, 1, 0, 0, 1, 1])).toThrow(/one anchor per box/);
  });

  it.each(TEST_BACKENDS)('the tensor decoder equals the plain one on %s (float32: within 1e-6 of the largest coordinate) and leaks nothing', async (backend) => {
    await useBackend(backend);
    const boxes = randomBoxes(200, 3);
    const anchors = randomBoxes(200, 5);
    const deltas = encodeBoxes(boxes, anchors);
    const before = tf.memory().numTensors;
    const deltaTensor = tf.tensor3d(Array.from(deltas), [2, 100, 4]);
    const anchorTensor = tf.tensor2d(Array.from(anchors.slice(0, 400)), [100, 4]);
    // Image 1 reuses the first 100 anchors: decode its deltas the plain way for the comparison.
    const expected = [...decodeBoxes(deltas.slice(0, 400), anchors.slice(0, 400)), ...decodeBoxes(deltas.slice(400), anchors.slice(0, 400))];
    const decoded = decodeBoxesTensor(deltaTensor, anchorTensor);
    expect(decoded.shape).toEqual([2, 100, 4]);
    const got = await decoded.data();
    const scale = Math.max(...expected.map(Math.abs));
    expected.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(1e-6 * scale));
    tf.dispose([deltaTensor, anchorTensor, decoded]);
    expect(tf.memory().numTensors).toBe(before);
    const three = tf.zeros([3, 4]);
    const two = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => decodeBoxesTensor(three, two)).toThrow(EffnetModelError);
    tf.dispose([three, two]);
  });
});

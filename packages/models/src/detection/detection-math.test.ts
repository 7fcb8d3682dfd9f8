// Anchors, box coding, anchor matching and the losses against an independent float64 numpy
// computation on seeded inputs (tools/fixtures/detection_math_reference.py writes the fixture).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { generateAnchors } from './anchors.js';
import { matchAnchors } from './anchor-matching.js';
import { decodeBoxes, decodeBoxesTensor, encodeBoxes } from './box-coding.js';
import { detectionLoss, focalLoss, huberLoss } from './losses.js';

interface Fixture {
  scales: number[];
  ratios: [number, number][];
  anchors: { minLevel: number; maxLevel: number; anchorScale: number; height: number; width: number; boxes: number[] }[];
  boxCoding: { anchors: number[]; boxes: number[]; encoded: number[]; deltas: number[]; decoded: number[] };
  matching: { images: { boxes: number[]; classes: number[]; classTargets: number[]; boxTargets: number[] }[] };
  loss: { logits: number[]; boxOutputs: number[]; classTargets: number[]; boxTargets: number[]; shape: [number, number, number]; total: number; classLoss: number; boxLoss: number };
  elementwise: { logits: number[]; targets: number[]; focal: { alpha: number; gamma: number; values: number[] }[]; predictions: number[]; huberTargets: number[]; huber: { delta: number; values: number[] }[] };
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'detection-math.json'), 'utf8')) as Fixture;

/** Largest |a − b| / max(1, |b|): absolute below 1, relative above (float32 anchors reach 10³). */
function worst(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  return max;
}

/** Largest |a − b| over the largest |coordinate| of its box (at least 1): float32 rounds 10² to ~10⁻⁵. */
function worstPerBox(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i += 4) {
    const scale = Math.max(1, ...[0, 1, 2, 3].map((k) => Math.abs(expected[i + k]!)));
    for (let k = 0; k < 4; k++) max = Math.max(max, Math.abs(actual[i + k]! - expected[i + k]!) / scale);
  }
  return max;
}

describe('detection maths against numpy', () => {
  it('anchors (P3-P5 at 64×64, P3-P7 at 96×128) within 1e-5', () => {
    for (const a of fixture.anchors) {
      const anchors = generateAnchors({ minLevel: a.minLevel, maxLevel: a.maxLevel, anchorScale: a.anchorScale, scales: fixture.scales, aspectRatios: fixture.ratios }, a.height, a.width);
      expect(anchors.count).toBe(a.boxes.length / 4);
      expect(worst(anchors.boxes, a.boxes)).toBeLessThan(1e-5);
    }
  });

  it('box encoding and decoding within 1e-5 (float64 functions; the float32 tensor decoder relative to its box)', () => {
    const { anchors, boxes, encoded, deltas, decoded } = fixture.boxCoding;
    expect(worst(encodeBoxes(boxes, anchors), encoded)).toBeLessThan(1e-5);
    expect(worst(decodeBoxes(deltas, anchors), decoded)).toBeLessThan(1e-5);
    const before = tf.memory().numTensors;
    const tensor = tf.tidy(() => decodeBoxesTensor(tf.tensor2d(deltas, [deltas.length / 4, 4]), tf.tensor2d(anchors, [anchors.length / 4, 4])));
    expect(worstPerBox(tensor.dataSync(), decoded)).toBeLessThan(1e-5);
    tensor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('anchor matching: the same class targets, box targets within 1e-5', () => {
    for (const image of fixture.matching.images) {
      const targets = matchAnchors(fixture.boxCoding.anchors, image.boxes, image.classes);
      expect(Array.from(targets.classes)).toEqual(image.classTargets);
      expect(targets.numPositives).toBe(image.classTargets.filter((c) => c >= 0).length);
      expect(worst(targets.boxes, image.boxTargets)).toBeLessThan(1e-5);
    }
  });

  it('focal and Huber losses elementwise within 1e-5', () => {
    const { logits, targets, focal, predictions, huberTargets, huber } = fixture.elementwise;
    const before = tf.memory().numTensors;
    for (const { alpha, gamma, values } of focal) {
      const out = tf.tidy(() => focalLoss(tf.tensor1d(logits), tf.tensor1d(targets), alpha, gamma));
      expect(worst(out.dataSync(), values)).toBeLessThan(1e-5);
      out.dispose();
    }
    for (const { delta, values } of huber) {
      const out = tf.tidy(() => huberLoss(tf.tensor1d(predictions), tf.tensor1d(huberTargets), delta));
      expect(worst(out.dataSync(), values)).toBeLessThan(1e-5);
      out.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the detection loss of a batch (total, class and box parts) within 1e-5', () => {
    const { logits, boxOutputs, classTargets, boxTargets, shape, total, classLoss, boxLoss } = fixture.loss;
    const [b, n, c] = shape;
    const before = tf.memory().numTensors;
    const loss = tf.tidy(() => {
      const { total, classLoss: cls, boxLoss: box } = detectionLoss(tf.tensor3d(logits, [b, n, c]), tf.tensor3d(boxOutputs, [b, n, 4]), tf.tensor2d(classTargets, [b, n], 'int32'), tf.tensor3d(boxTargets, [b, n, 4]));
      return { total, classLoss: cls, boxLoss: box };
    });
    expect(worst([loss.total.dataSync()[0]!, loss.classLoss.dataSync()[0]!, loss.boxLoss.dataSync()[0]!], [total, classLoss, boxLoss])).toBeLessThan(1e-5);
    tf.dispose([loss.total, loss.classLoss, loss.boxLoss]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

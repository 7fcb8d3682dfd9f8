// COCO AP on cases worked out by hand (pycocotools' rules: greedy matching by score, monotone
// precision, 101 recall points, classes without ground truth left out).
import { describe, expect, it } from 'vitest';
import type { Box } from './box-coding.js';
import { COCO_IOU_THRESHOLDS, COCO_RECALL_POINTS, evaluateCoco } from './coco-eval.js';
import { EffnetModelError } from '../errors.js';

const GT: Box = [0, 0, 10, 10];
/** A box with IoU `v` against [0, 0, 10, 10]: same rows, wider to the right (100 / (10·w)). */
const withIou = (v: number): Box => [0, 0, 10, 10 / v];

describe('evaluateCoco', () => {
  it('uses pycocotools’ thresholds and recall points', () => {
    expect(COCO_IOU_THRESHOLDS).toHaveLength(10);
    expect(COCO_IOU_THRESHOLDS[0]).toBe(0.5);
    expect(COCO_IOU_THRESHOLDS[9]).toBe(0.95);
    expect(COCO_RECALL_POINTS).toHaveLength(101);
    expect(COCO_RECALL_POINTS[100]).toBe(1);
  });

  it('a perfect detection scores 1 everywhere', () => {
    const m = evaluateCoco([[{ box: GT, score: 0.9, classId: 0 }]], [[{ box: GT, classId: 0 }]]);
    // pycocotools divides by tp + fp + machine epsilon, so a perfect AP is 1 − 2.2e-16.
    for (const v of [m.ap, m.ap50, m.ap75]) expect(v).toBeCloseTo(1, 12);
  });

  it('IoU 0.62 matches at 0.5, 0.55 and 0.6 only: AP = 3/10, AP50 = 1, AP75 = 0', () => {
    const m = evaluateCoco(
      [[{ box: withIou(0.62), score: 0.9, classId: 0 }, { box: withIou(0.3), score: 0.8, classId: 0 }]],
      [[{ box: GT, classId: 0 }]],
    );
    m.apPerThreshold.forEach((v, i) => expect(v).toBeCloseTo(i < 3 ? 1 : 0, 12));
    expect(m.ap).toBeCloseTo(0.3, 12);
    expect(m.ap50).toBeCloseTo(1, 12);
    expect(m.ap75).toBe(0);
  });

  it('FP then two TPs over 2 boxes: precision 0, ½, ⅔ made monotone → ⅔ at every recall point', () => {
    const other: Box = [50, 50, 60, 60];
    const m = evaluateCoco(
      [[{ box: [100, 100, 110, 110], score: 0.9, classId: 0 }, { box: GT, score: 0.8, classId: 0 }, { box: other, score: 0.7, classId: 0 }]],
      [[{ box: GT, classId: 0 }, { box: other, classId: 0 }]],
    );
    expect(m.ap50).toBeCloseTo(2 / 3, 12);
  });

  it('TP then FP with half the boxes found: recall points 0…0.5 read precision 1, the rest 0 → 51/101', () => {
    const m = evaluateCoco(
      [[{ box: GT, score: 0.9, classId: 0 }, { box: [100, 100, 110, 110], score: 0.8, classId: 0 }]],
      [[{ box: GT, classId: 0 }, { box: [50, 50, 60, 60], classId: 0 }]],
    );
    expect(m.ap50).toBeCloseTo(51 / 101, 12);
  });

  it('pools images by score, skips classes without ground truth, and averages classes', () => {
    // Class 0: image 1 has a TP at 0.6, image 2 a FP at 0.9 → sorted FP, TP over 1 box: precision ½ → AP ½.
    // Class 1: one box, never detected → 0. Class 7 has only detections → left out.
    const m = evaluateCoco(
      [
        [{ box: GT, score: 0.6, classId: 0 }, { box: GT, score: 0.99, classId: 7 }],
        [{ box: GT, score: 0.9, classId: 0 }],
      ],
      [[{ box: GT, classId: 0 }], [{ box: GT, classId: 1 }]],
    );
    expect(m.apPerClass.get(0)).toBeCloseTo(0.5, 12);
    expect(m.apPerClass.get(1)).toBe(0);
    expect(m.apPerClass.has(7)).toBe(false);
    expect(m.ap50).toBeCloseTo(0.25, 12);
  });

  it('one box matches at most one detection; a duplicate is a false positive', () => {
    const m = evaluateCoco([[{ box: GT, score: 0.9, classId: 0 }, { box: GT, score: 0.8, classId: 0 }]], [[{ box: GT, classId: 0 }]]);
    // TP then FP over 1 box: recall reaches 1 at rank 1 with precision 1.
    expect(m.ap50).toBeCloseTo(1, 12);
    const swapped = evaluateCoco([[{ box: withIou(0.3), score: 0.9, classId: 0 }, { box: GT, score: 0.8, classId: 0 }]], [[{ box: GT, classId: 0 }]]);
    expect(swapped.ap50).toBeCloseTo(0.5, 12);
  });

  it('maxDetections keeps the best-scoring ones per image and class', () => {
    const m = evaluateCoco([[{ box: withIou(0.3), score: 0.9, classId: 0 }, { box: GT, score: 0.8, classId: 0 }]], [[{ box: GT, classId: 0 }]], { maxDetections: 1 });
    expect(m.ap50).toBe(0);
  });

  it('needs one detection list per image', () => {
    expect(() => evaluateCoco([], [[{ box: GT, classId: 0 }]])).toThrow(EffnetModelError);
  });
});

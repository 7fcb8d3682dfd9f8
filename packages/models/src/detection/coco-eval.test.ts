// COCO AP on cases worked out by hand (pycocotools' rules: greedy matching by score, monotone
// precision, 101 recall points, classes without ground truth left out), and all twelve numbers
// against pycocotools on the seeded sets of tools/fixtures/coco_eval_reference.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Box } from './box-coding.js';
import { COCO_IOU_THRESHOLDS, COCO_RECALL_POINTS, evaluateCoco, evaluateCocoDetections, precisionRecallCurve, type CocoEvalInput } from './coco-eval.js';
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

interface CocoFixtureSet {
  name: string;
  seed: number;
  groundTruth: {
    images: { id: number }[];
    categories: { id: number }[];
    annotations: { image_id: number; category_id: number; bbox: [number, number, number, number]; area: number; iscrowd: number }[];
  };
  detections: { image_id: number; category_id: number; bbox: [number, number, number, number]; score: number }[];
  stats: number[];
}

describe('evaluateCocoDetections against pycocotools', () => {
  // tools/fixtures/coco_eval_reference.py: 24 seeded sets and COCOeval(...).stats of each.
  const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'coco-eval.json'), 'utf8')) as { sets: CocoFixtureSet[] };
  const input = (set: CocoFixtureSet): CocoEvalInput => ({
    imageIds: set.groundTruth.images.map((i) => i.id),
    categoryIds: set.groundTruth.categories.map((c) => c.id),
    groundTruth: set.groundTruth.annotations.map((a) => ({ imageId: a.image_id, categoryId: a.category_id, bbox: a.bbox, area: a.area, iscrowd: a.iscrowd === 1 })),
    detections: set.detections.map((d) => ({ imageId: d.image_id, categoryId: d.category_id, bbox: d.bbox, score: d.score })),
  });

  it('covers crowd regions, empty images, score ties, many categories and more than 100 detections per image', () => {
    const sets = fixture.sets;
    expect(sets.length).toBeGreaterThanOrEqual(20);
    expect(sets.some((s) => s.groundTruth.annotations.some((a) => a.iscrowd === 1))).toBe(true);
    expect(sets.some((s) => s.groundTruth.images.some((i) => !s.groundTruth.annotations.some((a) => a.image_id === i.id)))).toBe(true);
    expect(sets.some((s) => new Set(s.detections.map((d) => d.score)).size < s.detections.length / 2)).toBe(true);
    expect(Math.max(...sets.map((s) => s.groundTruth.categories.length))).toBeGreaterThanOrEqual(40);
    const perImage = (s: CocoFixtureSet): number => Math.max(...s.groundTruth.images.map((i) => s.detections.filter((d) => d.image_id === i.id).length));
    expect(Math.max(...sets.map(perImage))).toBeGreaterThan(100);
  });

  for (const set of fixture.sets) {
    it(`${set.name} (seed ${set.seed}): all twelve numbers within 1e-4`, () => {
      const { stats } = evaluateCocoDetections(input(set));
      expect(stats).toHaveLength(12);
      stats.forEach((value, i) => expect(Math.abs(value - set.stats[i]!)).toBeLessThan(1e-4));
    });
  }

  it('names the first detection with an unknown image or category', () => {
    const set = fixture.sets[0]!;
    const bad = input(set);
    expect(() => evaluateCocoDetections({ ...bad, detections: [...bad.detections, { imageId: -5, categoryId: bad.categoryIds[0]!, bbox: [0, 0, 1, 1], score: 0.5 }] })).toThrow(/detections\[\d+\]: image id -5/);
    expect(() => evaluateCocoDetections({ ...bad, detections: [{ imageId: bad.imageIds[0]!, categoryId: 123456, bbox: [0, 0, 1, 1], score: 0.5 }] })).toThrow(/detections\[0\]: category id 123456/);
    expect(() => evaluateCocoDetections({ ...bad, detections: [{ imageId: bad.imageIds[0]!, categoryId: bad.categoryIds[0]!, bbox: [0, 0, 1, 1], score: NaN }] })).toThrow(EffnetModelError);
  });

  it('the precision-recall curve at IoU 0.5 averages to AP50', () => {
    const evaluation = evaluateCocoDetections(input(fixture.sets[0]!));
    const curve = precisionRecallCurve(evaluation, 0.5);
    expect(curve.recall).toHaveLength(101);
    expect(curve.precision.reduce((s, v) => s + v, 0) / 101).toBeCloseTo(evaluation.summary.ap50, 12);
    expect(() => precisionRecallCurve(evaluation, 0.52)).toThrow(EffnetModelError);
  });
});

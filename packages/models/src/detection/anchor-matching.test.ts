// Anchor matching on hand-built anchors: IoU ≥ 0.5 positive, < 0.4 negative, in between ignored,
// and a ground-truth box with no anchor above 0.5 still claims its best anchor.
import { describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { IGNORED, NEGATIVE, matchAnchors } from './anchor-matching.js';
import { encodeBoxes } from './box-coding.js';

// IoU with the first box [0, 0, 10, 10]: 1, 0.8, 0.4545, 0.333, 0; the sixth overlaps the second box by 0.25.
const ANCHORS = [0, 0, 10, 10, 0, 0, 10, 12.5, 0, 0, 10, 22, 0, 0, 10, 30, 100, 100, 110, 110, 50, 50, 60, 90];
const GT = [0, 0, 10, 10, 50, 50, 60, 60];

describe('matchAnchors', () => {
  it('positive ≥ 0.5, ignored in [0.4, 0.5), negative < 0.4, forced best anchor per box', () => {
    const targets = matchAnchors(ANCHORS, GT, [1, 2]);
    expect(Array.from(targets.classes)).toEqual([1, 1, IGNORED, NEGATIVE, NEGATIVE, 2]);
    expect(targets.numPositives).toBe(3);
    const expected1 = encodeBoxes([0, 0, 10, 10], [0, 0, 10, 12.5]);
    Array.from(targets.boxes.slice(4, 8)).forEach((v, c) => expect(v).toBeCloseTo(expected1[c]!, 6));
    const expected5 = encodeBoxes([50, 50, 60, 60], [50, 50, 60, 90]);
    Array.from(targets.boxes.slice(20, 24)).forEach((v, c) => expect(v).toBeCloseTo(expected5[c]!, 6));
    expect(Array.from(targets.boxes.slice(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(targets.boxes.slice(12, 16))).toEqual([0, 0, 0, 0]);
  });

  it('without forced matches the weakly overlapping box gets no anchor', () => {
    const targets = matchAnchors(ANCHORS, GT, [1, 2], { forceMatch: false });
    expect(Array.from(targets.classes)).toEqual([1, 1, IGNORED, NEGATIVE, NEGATIVE, NEGATIVE]);
    expect(targets.numPositives).toBe(2);
  });

  it('an image without boxes makes every anchor negative', () => {
    const targets = matchAnchors(ANCHORS, [], []);
    expect(Array.from(targets.classes)).toEqual(new Array(6).fill(NEGATIVE));
    expect(targets.numPositives).toBe(0);
  });

  it('an anchor overlapping two boxes goes to the one it overlaps most', () => {
    const targets = matchAnchors([0, 0, 10, 10], [0, 0, 10, 8, 0, 0, 10, 9], [3, 4], { forceMatch: false });
    expect(Array.from(targets.classes)).toEqual([4]);
  });

  it('rejects mismatched counts, negative classes and crossed thresholds', () => {
    expect(() => matchAnchors(ANCHORS, GT, [1])).toThrow(EffnetModelError);
    expect(() => matchAnchors(ANCHORS, GT, [1, -1])).toThrow(/≥ 0/);
    expect(() => matchAnchors(ANCHORS, GT, [1, 2], { positiveIou: 0.3, negativeIou: 0.4 })).toThrow(/must not exceed/);
  });
});

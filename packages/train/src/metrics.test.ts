import { describe, expect, it } from 'vitest';
import { confusionMatrix, topK, topKHits } from './metrics.js';

describe('metrics', () => {
  const logits = [0.1, 0.7, 0.2, /* row 2 */ 0.5, 0.3, 0.2, /* row 3 */ 0.2, 0.2, 0.6];
  it('counts top-1 and top-2 hits', () => {
    expect(topKHits(logits, [1, 1, 0], 3, 1)).toBe(1);
    expect(topKHits(logits, [1, 1, 0], 3, 2)).toBe(3); // row 3: its 0.2 ties class 1, only 0.6 is higher
    expect(topKHits(logits, [1, 1, 0], 3, 3)).toBe(3);
  });
  it('ranks scores and builds the confusion matrix', () => {
    expect(topK([0.1, 0.9, 0.5, 0.9], 3)).toEqual([1, 3, 2]);
    expect(confusionMatrix([1, 0, 2], [1, 1, 0], 3)).toEqual([[0, 0, 1], [1, 1, 0], [0, 0, 0]]);
  });
  it('rejects logits that do not match the labels', () => {
    expect(() => topKHits([1, 2, 3], [0, 1], 3, 1)).toThrow(/do not make 2 rows of 3 classes/);
  });
});

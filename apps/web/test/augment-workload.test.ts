// The augmentation workload of the Chromium parity test, checked in Node on tfjs-cpu: the full
// run has one output per operation and sign plus the randAugment draws; `without` drops exactly
// the operations named and the draws whose plans use them, leaving the other draws unchanged;
// `isByteOutput` and `outputDifferences` classify and compare as the browser test relies on.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { randAugmentPlan } from '@effnet/schedules';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentationOutputs, isByteOutput, outputDifferences, WORKLOAD_RAND_AUGMENT, type AugmentationOutputs } from '../src/augment-workload.js';

// Two 6×5 RGB images of bytes, a deterministic pattern.
const SHAPE = [2, 6, 5, 3] as const;
const BYTES = Array.from({ length: 2 * 6 * 5 * 3 }, (_, i) => (i * 37 + 11) % 256);

describe('augmentationOutputs on tfjs-cpu', () => {
  let full: AugmentationOutputs;
  let without: AugmentationOutputs;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    full = await augmentationOutputs(BYTES, SHAPE);
    without = await augmentationOutputs(BYTES, SHAPE, { without: ['equalize', 'rotate'] });
  });

  it('gives 28 operation outputs, 2 + 4 randAugment draws, mixup, cutmix, crop, flip and resize', () => {
    const names = Object.keys(full);
    expect(names).toHaveLength(41);
    expect(names.filter(isByteOutput)).toHaveLength(30);
    expect(names.filter((n) => !isByteOutput(n))).toEqual([
      'randAugmentUnit0', 'randAugmentUnit1', 'randAugmentUnit2', 'randAugmentUnit3',
      'mixupImages', 'mixupLabels', 'cutmixImages', 'cutmixLabels', 'randomResizedCrop', 'randomFlip', 'resizeImages',
    ]);
    // Magnitude 13: solarize's threshold is 0 (every value inverted), posterize keeps 3 bits.
    expect(Array.from(full['solarize+']!.slice(0, 3))).toEqual([255 - 11, 255 - 48, 255 - 85]);
    expect(Array.from(full['posterize+']!.slice(0, 3))).toEqual([0, 32, 64]);
    expect(full['mixupLabels']!.length).toBe(4 * 4);
    expect(full['randomResizedCrop']!.length).toBe(4 * 24 * 24 * 3);
  });

  it('without: drops those operations and exactly the draws whose plans use them; the rest are unchanged', () => {
    const uses = (settings: (typeof WORKLOAD_RAND_AUGMENT)['bytes' | 'unit'], call: number) =>
      randAugmentPlan(settings, 4, call).some((steps) => steps.some((s) => s.op === 'equalize' || s.op === 'rotate'));
    const dropped = [
      'equalize+', 'equalize-', 'rotate+', 'rotate-',
      ...[0, 1].filter((k) => uses(WORKLOAD_RAND_AUGMENT.bytes, k)).map((k) => `randAugmentBytes${k}`),
      ...[0, 1, 2, 3].filter((k) => uses(WORKLOAD_RAND_AUGMENT.unit, k)).map((k) => `randAugmentUnit${k}`),
    ];
    // Both kinds occur for these seeds: some draws use equalize or rotate, some do not.
    expect(dropped.length).toBeGreaterThan(4);
    expect(Object.keys(without).some((n) => n.startsWith('randAugment'))).toBe(true);
    expect(Object.keys(full).filter((n) => !(n in without)).sort()).toEqual(dropped.sort());
    const kept = Object.fromEntries(Object.keys(without).map((n) => [n, full[n]!]));
    expect(Object.values(outputDifferences(without, kept)).every((d) => d === 0)).toBe(true);
  });

  it('outputDifferences: largest |a − b| per output, Infinity for a missing or mis-sized output', () => {
    expect(outputDifferences({ a: [1, 2, 3], b: [0], c: [1] }, { a: [1, 2.5, 2], b: [0, 0] })).toEqual({ a: 1, b: Infinity, c: Infinity });
  });
});

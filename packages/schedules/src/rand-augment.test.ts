import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetScheduleError } from './errors.js';
import { applyRandAugmentOp, RAND_AUGMENT_OPS, randAugment, randAugmentParameter, randAugmentPlan, type RandAugmentOptions } from './rand-augment.js';
import { loadPillowFixtures, squarePhotos } from '../test/pillow-fixtures.js';

const fixtures = loadPillowFixtures();
const square = squarePhotos(fixtures);
const [, H, W, C] = square.shape;
/** The three photographs as one 0-255 batch, plus a fourth: the first mirrored. */
const photos = () =>
  tf.tidy(() => {
    const three = tf.tensor4d(square.data, square.shape, 'float32');
    return tf.concat([three, tf.reverse(tf.slice(three, [0, 0, 0, 0], [1, H, W, C]), 2)], 0) as tf.Tensor4D;
  });
const base: RandAugmentOptions = { n: 2, magnitude: 10, seed: 7, range: '0-255' };

describe('randAugment', () => {
  it('has the fourteen operations of the spec', () => {
    expect(RAND_AUGMENT_OPS).toEqual(['identity', 'autocontrast', 'equalize', 'rotate', 'solarize', 'color', 'posterize', 'contrast', 'brightness', 'sharpness', 'shearX', 'shearY', 'translateX', 'translateY']);
  });

  it('maps magnitude to parameters on the TensorFlow 0-30 scale (level = magnitude / 10)', () => {
    expect(randAugmentParameter('rotate', 10, -1, 48, 48)).toBe(-30);
    expect(randAugmentParameter('rotate', 5, 1, 48, 48)).toBe(15);
    expect(randAugmentParameter('shearX', 10, 1, 48, 48)).toBeCloseTo(0.3, 12);
    expect(randAugmentParameter('translateY', 10, -1, 48, 100)).toBeCloseTo(-45, 12);
    expect(randAugmentParameter('posterize', 0, 1, 48, 48)).toBe(8);
    expect(randAugmentParameter('posterize', 10, 1, 48, 48)).toBe(4);
    expect(randAugmentParameter('posterize', 30, 1, 48, 48)).toBe(1);
    expect(randAugmentParameter('solarize', 5, 1, 48, 48)).toBe(128);
    expect(randAugmentParameter('solarize', 30, 1, 48, 48)).toBe(0);
    expect(randAugmentParameter('contrast', 10, -1, 48, 48)).toBeCloseTo(0.1, 12);
    expect(randAugmentParameter('brightness', 10, 1, 48, 48)).toBeCloseTo(1.9, 12);
    expect(randAugmentParameter('color', 30, -1, 48, 48)).toBe(0);
  });

  it('chooses operations per image, reproducibly for a seed and call', () => {
    const plan = randAugmentPlan(base, 64, 0);
    expect(plan).toHaveLength(64);
    expect(plan.every((ops) => ops.length === 2)).toBe(true);
    expect(new Set(plan.map((ops) => ops[0]!.op)).size).toBeGreaterThanOrEqual(10);
    expect(randAugmentPlan(base, 64, 0)).toEqual(plan);
    expect(randAugmentPlan(base, 64, 1)).not.toEqual(plan);
    expect(randAugmentPlan({ ...base, seed: 8 }, 64, 0)).not.toEqual(plan);
    const jittered = randAugmentPlan({ ...base, magnitudeStd: 3 }, 200, 0).flat().map((s) => s.magnitude);
    expect(Math.min(...jittered)).toBeGreaterThanOrEqual(0);
    expect(new Set(jittered).size).toBeGreaterThan(100);
    const mean = jittered.reduce((a, b) => a + b, 0) / jittered.length;
    expect(Math.abs(mean - 10)).toBeLessThan(0.6);
  });

  it('applies to each image exactly the operations of its plan, each as exported on its own', () => {
    const x = photos();
    const augment = randAugment({ ...base, n: 3 });
    const out = augment(x, 5);
    const plan = randAugmentPlan({ ...base, n: 3 }, 4, 5);
    const expected = tf.tidy(() =>
      tf.concat(
        plan.map((ops, i) => {
          let image = tf.slice(x, [i, 0, 0, 0], [1, H, W, C]) as tf.Tensor4D;
          for (const s of ops) image = applyRandAugmentOp(image, s.op, randAugmentParameter(s.op, s.magnitude, s.sign, W, H));
          return image;
        }),
        0,
      ),
    );
    expect(out.shape).toEqual([4, H, W, C]);
    expect(Array.from(out.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, out, expected]);
  });

  it('gives the same batch for the same seed and call, another for another call', () => {
    const x = photos();
    const [a, b, c] = [randAugment(base)(x), randAugment(base)(x), randAugment(base)(x, 1)];
    const first = randAugment(base);
    const d0 = first(x);
    const d1 = first(x);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(d0.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(d1.dataSync())).toEqual(Array.from(c.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b, c, d0, d1]);
  });

  it('treats a 0-1 batch as the 0-255 batch divided by 255', () => {
    const x = photos();
    const unit = tf.div(x, 255) as tf.Tensor4D;
    const a = randAugment(base)(x);
    const b = randAugment({ ...base, range: '0-1' })(unit);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.mul(b, 255), a))));
    expect(diff.dataSync()[0]).toBeLessThan(1e-3);
    const range = tf.tidy(() => [tf.min(b).dataSync()[0]!, tf.max(b).dataSync()[0]!]);
    expect(range[0]).toBeGreaterThanOrEqual(0);
    expect(range[1]).toBeLessThanOrEqual(1);
    tf.dispose([x, unit, a, b, diff]);
  });

  it('n = 0 leaves the batch as it is', () => {
    const x = photos();
    const out = randAugment({ ...base, n: 0 })(x);
    expect(Array.from(out.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, out]);
  });

  it('rejects bad options and batches with EffnetScheduleError naming the field', () => {
    const cases: [Partial<RandAugmentOptions>, RegExp][] = [
      [{ n: -1 }, /^n: must be an integer in \[0, 64\]/],
      [{ n: 1.5 }, /^n:/],
      [{ magnitude: 31 }, /^magnitude: must be a finite number in \[0, 30\], got 31/],
      [{ magnitude: Number.NaN }, /^magnitude:/],
      [{ magnitudeStd: -1 }, /^magnitudeStd:/],
      [{ range: '0-256' as never }, /^range: must be '0-255' \(uint8-range floats\) or '0-1'/],
      [{ fill: 300 }, /^fill:/],
      [{ seed: 0.5 }, /^seed:/],
    ];
    for (const [bad, message] of cases) {
      expect(() => randAugment({ ...base, ...bad })).toThrow(EffnetScheduleError);
      expect(() => randAugment({ ...base, ...bad })).toThrow(message);
    }
    const flat = tf.zeros([4, 4, 3]);
    const four = tf.zeros([1, 4, 4, 4]);
    expect(() => randAugment(base)(flat as tf.Tensor4D)).toThrow(/^images: must be a batch \[N, H, W, C\] \(rank 4\)/);
    expect(() => randAugment(base)(four as tf.Tensor4D)).toThrow(/^images: must have 1 or 3 channels/);
    tf.dispose([flat, four]);
  });

  it('works on grey images', () => {
    const grey = tf.tidy(() => tf.round(tf.mul(tf.reshape(tf.linspace(0, 1, 2 * 12 * 12), [2, 12, 12, 1]), 200))) as tf.Tensor4D;
    for (const op of RAND_AUGMENT_OPS) {
      const out = applyRandAugmentOp(grey, op, randAugmentParameter(op, 10, 1, 12, 12));
      expect(out.shape, op).toEqual([2, 12, 12, 1]);
      out.dispose();
    }
    grey.dispose();
  });
});

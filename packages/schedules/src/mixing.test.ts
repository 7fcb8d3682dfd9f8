import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetScheduleError } from './errors.js';
import { cutmix, mixLambda, mixup, smoothLabels } from './mixing.js';

/** N images, image i filled with the value i + 1, and one-hot labels of classes 0…N−1 (of N + 1). */
function batch(n: number, h = 8, w = 8) {
  return tf.tidy(() => {
    const images = tf.mul(tf.ones([n, h, w, 3]), tf.reshape(tf.range(1, n + 1), [n, 1, 1, 1])) as tf.Tensor4D;
    const labels = tf.cast(tf.oneHot(tf.range(0, n, 1, 'int32'), n + 1), 'float32') as tf.Tensor2D;
    return { images, labels };
  });
}

function moments(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('mixup', () => {
  it('mixes images and labels by λ with the mirrored batch; labels rows sum to 1', () => {
    const { images, labels } = batch(4);
    const smoothed = smoothLabels(labels, 0.1);
    const out = mixup(0.4, { seed: 3 })(images, smoothed);
    const lambda = mixLambda(0.4, 3, 0);
    expect(out.lambda).toBe(lambda);
    const pixels = tf.tidy(() => tf.slice(out.images, [0, 0, 0, 0], [4, 1, 1, 1]).dataSync());
    Array.from(pixels).forEach((v, i) => expect(v).toBeCloseTo(lambda * (i + 1) + (1 - lambda) * (4 - i), 5));
    const sums = tf.tidy(() => tf.sum(out.labels, 1).dataSync());
    for (const s of sums) expect(s).toBeCloseTo(1, 6);
    const row0 = out.labels.arraySync()[0]!;
    expect(row0[0]).toBeCloseTo(lambda * 0.92 + 0.02 * (1 - lambda), 6);
    expect(row0[3]).toBeCloseTo((1 - lambda) * 0.92 + 0.02 * lambda, 6);
    expect(row0[4]).toBeCloseTo(0.02, 6);
    tf.dispose([images, labels, smoothed, out.images, out.labels]);
  });

  for (const alpha of [0.2, 0.4, 1]) {
    it(`λ over 10,000 draws has the mean and variance of Beta(${alpha}, ${alpha}) within 2 %`, () => {
      const { images, labels } = batch(2, 1, 1);
      const mix = mixup(alpha, { seed: 11 });
      const lambdas: number[] = [];
      for (let k = 0; k < 10_000; k++) {
        const out = mix(images, labels);
        lambdas.push(out.lambda);
        tf.dispose([out.images, out.labels]);
      }
      const { mean, variance } = moments(lambdas);
      const expected = { mean: 0.5, variance: 1 / (4 * (2 * alpha + 1)) };
      console.log(`mixup α=${alpha}: mean ${mean.toFixed(4)} (Beta ${expected.mean}), variance ${variance.toFixed(4)} (Beta ${expected.variance.toFixed(4)})`);
      expect(Math.abs(mean - expected.mean) / expected.mean).toBeLessThan(0.02);
      expect(Math.abs(variance - expected.variance) / expected.variance).toBeLessThan(0.02);
      expect(Math.min(...lambdas)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...lambdas)).toBeLessThanOrEqual(1);
      tf.dispose([images, labels]);
    });
  }

  it('α = 0 is off: λ = 1 and the batch unchanged', () => {
    const { images, labels } = batch(3);
    const out = mixup(0)(images, labels);
    expect(out.lambda).toBe(1);
    expect(Array.from(out.images.dataSync())).toEqual(Array.from(images.dataSync()));
    expect(Array.from(out.labels.dataSync())).toEqual(Array.from(labels.dataSync()));
    tf.dispose([images, labels, out.images, out.labels]);
  });
});

describe('cutmix', () => {
  it('pastes a box from the mirrored image and weights labels by exactly its area', () => {
    const { images, labels } = batch(4, 16, 12);
    const mix = cutmix(1, { seed: 5 });
    let partial = 0;
    for (let k = 0; k < 200; k++) {
      const out = mix(images, labels);
      const pasted = tf.tidy(() => tf.mean(tf.cast(tf.notEqual(out.images, images), 'float32'), [1, 2, 3]).dataSync());
      const { top, bottom, left, right } = out.box;
      const area = ((bottom - top) * (right - left)) / (16 * 12);
      for (const p of pasted) expect(p).toBeCloseTo(area, 6);
      expect(out.lambda).toBeCloseTo(1 - area, 12);
      const rows = out.labels.arraySync();
      rows.forEach((row, i) => {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        expect(row[i]).toBeCloseTo(i === 3 - i ? 1 : 1 - area, 6);
        expect(row[3 - i]).toBeCloseTo(i === 3 - i ? 1 : area, 6);
      });
      if (area > 0 && area < 1) partial += 1;
      tf.dispose([out.images, out.labels]);
    }
    expect(partial).toBeGreaterThan(150);
    tf.dispose([images, labels]);
  });

  it('draws λ from Beta(α, α) before clipping the box (mean and variance within 2 % over 10,000 draws)', () => {
    const lambdas = Array.from({ length: 10_000 }, (_, k) => mixLambda(1, 9, k));
    const { mean, variance } = moments(lambdas);
    expect(Math.abs(mean - 0.5) / 0.5).toBeLessThan(0.02);
    expect(Math.abs(variance - 1 / 12) / (1 / 12)).toBeLessThan(0.02);
  });
});

describe('smoothLabels and errors', () => {
  it('smooths to (1 − ε)·y + ε / classes', () => {
    const y = tf.tensor2d([[0, 1, 0, 0]]);
    const s = smoothLabels(y, 0.2);
    expect(Array.from(s.dataSync())).toEqual([0.05, 0.85, 0.05, 0.05].map((v) => Math.fround(v)));
    tf.dispose([y, s]);
  });

  it('rejects bad α, labels and ε with EffnetScheduleError', () => {
    const { images, labels } = batch(4);
    const wrong = tf.zeros([3, 5]) as tf.Tensor2D;
    expect(() => mixup(-1)).toThrow(EffnetScheduleError);
    expect(() => mixup(-1)).toThrow(/^alpha: must be a finite number in \[0, 1000000\], got -1/);
    expect(() => cutmix(Number.NaN)).toThrow(/^alpha:/);
    expect(() => mixup(0.2)(images, wrong)).toThrow(/^labels: must be \[N, classes\] with N = 4/);
    expect(() => cutmix(0.2)(images, wrong)).toThrow(EffnetScheduleError);
    expect(() => smoothLabels(labels, 1)).toThrow(/^epsilon:/);
    tf.dispose([images, labels, wrong]);
  });
});

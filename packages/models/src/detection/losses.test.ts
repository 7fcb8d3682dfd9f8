// Focal and Huber losses against the formulas evaluated by hand, the normalised detection loss on
// a three-anchor case, and gradients that exist on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetModelError } from '../errors.js';
import { detectionLoss, focalLoss, huberLoss } from './losses.js';
import { TEST_BACKENDS, useBackend } from '../../test/detection-backends.js';

/** The focal loss of one logit, by hand: α_t (1 − p_t)^γ · (−log p_t). */
function focalByHand(x: number, y: number, alpha = 0.25, gamma = 1.5): number {
  const p = 1 / (1 + Math.exp(-x));
  const pt = y ? p : 1 - p;
  const alphaT = y ? alpha : 1 - alpha;
  return alphaT * (1 - pt) ** gamma * -Math.log(pt);
}

afterAll(async () => {
  await useBackend('cpu');
});

describe.each(TEST_BACKENDS)('losses on %s', (backend) => {
  it('focal loss equals α_t(1 − p_t)^γ·BCE; at x = 0, y = 1: 0.25 · 0.5^1.5 · ln 2', async () => {
    await useBackend(backend);
    const xs = [0, 2, -3, 0.5, 8, -8];
    const ys = [1, 0, 1, 0, 1, 0];
    const logits = tf.tensor1d(xs);
    const targets = tf.tensor1d(ys);
    const loss = focalLoss(logits, targets);
    const got = await loss.data();
    expect(got[0]).toBeCloseTo(0.25 * 0.5 ** 1.5 * Math.LN2, 6);
    expect(got[0]).toBeCloseTo(0.0612662, 6);
    xs.forEach((x, i) => expect(got[i]).toBeCloseTo(focalByHand(x, ys[i]!), 5));
    tf.dispose([logits, targets, loss]);
  });

  it('Huber loss: ½x² inside δ = 0.1, δ(|x| − ½δ) outside', async () => {
    await useBackend(backend);
    const p = tf.tensor1d([0.05, 0.3, -0.3, 0.1, 0]);
    const t = tf.zeros([5]);
    const loss = huberLoss(p, t);
    const got = Array.from(await loss.data());
    [0.00125, 0.025, 0.025, 0.005, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 7));
    tf.dispose([p, t, loss]);
  });

  it('detection loss: ignored anchors drop out, both parts divided by positives + 1 (box part also by 4), box weight 50', async () => {
    await useBackend(backend);
    const logitValues = [1, -1, 0.5, 2, -4, 3];
    const deltaValues = [0.05, 0.3, -0.2, 0, 9, 9, 9, 9, 9, 9, 9, 9];
    const boxTargetValues = [0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0, 0];
    const logits = tf.tensor3d(logitValues, [1, 3, 2]);
    const deltas = tf.tensor3d(deltaValues, [1, 3, 4]);
    const classTargets = tf.tensor2d([[1, -1, -2]], [1, 3], 'int32');
    const boxTargets = tf.tensor3d(boxTargetValues, [1, 3, 4]);
    const { total, classLoss, boxLoss } = detectionLoss(logits, deltas, classTargets, boxTargets);
    const expectedClass = (focalByHand(1, 0) + focalByHand(-1, 1) + focalByHand(0.5, 0) + focalByHand(2, 0)) / 2;
    const expectedBox = (0.00125 + 0.025 + 0.015 + 0.005) / (2 * 4);
    expect((await classLoss.data())[0]).toBeCloseTo(expectedClass, 5);
    expect((await boxLoss.data())[0]).toBeCloseTo(expectedBox, 6);
    expect((await total.data())[0]).toBeCloseTo(expectedClass + 50 * expectedBox, 4);
    tf.dispose([logits, deltas, classTargets, boxTargets, total, classLoss, boxLoss]);
  });

  it('has gradients for logits and deltas', async () => {
    await useBackend(backend);
    const logits = tf.tensor3d([1, -1, 0.5, 2], [1, 2, 2]);
    const deltas = tf.tensor3d([0.05, 0.3, -0.2, 0, 0, 0, 0, 0], [1, 2, 4]);
    const classTargets = tf.tensor2d([[0, -1]], [1, 2], 'int32');
    const boxTargets = tf.zeros([1, 2, 4]) as tf.Tensor3D;
    const grads = tf.grads((l: tf.Tensor, d: tf.Tensor) => detectionLoss(l as tf.Tensor3D, d as tf.Tensor3D, classTargets, boxTargets).total)([logits, deltas]);
    const [gl, gd] = await Promise.all(grads.map((g) => g.data()));
    // d/dx of the Huber box part at x = 0.05 (inside δ): 50 · x / ((1 + 1) · 4).
    expect(gd![0]).toBeCloseTo((50 * 0.05) / 8, 5);
    // At x = 0.3 (outside δ): 50 · δ / 8.
    expect(gd![1]).toBeCloseTo((50 * 0.1) / 8, 5);
    expect(Math.abs(gd![4]!)).toBe(0);
    // A positive logit of the true class lowers the loss when it grows.
    expect(gl![0]).toBeLessThan(0);
    tf.dispose([logits, deltas, classTargets, boxTargets, ...grads]);
  });

  it('rejects shapes that disagree', async () => {
    await useBackend(backend);
    const a = tf.zeros([1, 3, 2]) as tf.Tensor3D;
    const b = tf.zeros([1, 2, 4]) as tf.Tensor3D;
    const c = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(() => detectionLoss(a, b, c, b)).toThrow(EffnetModelError);
    tf.dispose([a, b, c]);
  });
});

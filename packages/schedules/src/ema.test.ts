import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ema } from './ema.js';
import { EffnetScheduleError } from './errors.js';

/** A variable holding `values` (no tensor left behind). */
const variable = (values: number[] | number[][]) => tf.tidy(() => tf.variable(tf.tensor(values)));
/** Sets a variable to `values` (no tensor left behind). */
const set = (v: tf.Variable, values: number[] | number[][]) => tf.tidy(() => v.assign(tf.tensor(values)));

describe('ema', () => {
  it('averages with d = min(decay, (1 + t) / (10 + t)) under warm-up', () => {
    const w = variable([1, 2]);
    const average = ema(0.5, { warmup: true });
    average.update([w]);
    expect(average.updates).toBe(0);
    expect(average.nextDecay()).toBeCloseTo(0.1, 12);
    set(w, [11, 12]);
    average.update([w]); // d = 0.1: 0.1·[1, 2] + 0.9·[11, 12]
    const [a0, a1] = average.averages().get('0')!.dataSync();
    expect(a0).toBeCloseTo(10, 5);
    expect(a1).toBeCloseTo(11, 5);
    expect(average.nextDecay()).toBeCloseTo(2 / 11, 12);
    average.update([w]);
    average.update([w]);
    average.update([w]);
    average.update([w]);
    average.update([w]);
    average.update([w]);
    average.update([w]);
    expect(average.updates).toBe(8);
    expect(average.nextDecay()).toBe(0.5);
    average.dispose();
    w.dispose();
  });

  it('without warm-up uses the decay from the first update', () => {
    const w = { kernel: variable([4]) };
    const average = ema(0.75);
    average.update(w);
    set(w.kernel, [0]);
    average.update(w);
    expect(average.averages().get('kernel')!.dataSync()[0]).toBe(3);
    average.dispose();
    w.kernel.dispose();
  });

  it('swaps the averages in for evaluation and the live weights back out', () => {
    const w = { a: variable([2]), b: variable([[1, 1]]) };
    const average = ema(0.5);
    average.update(w);
    set(w.a, [4]);
    set(w.b, [[3, 5]]);
    average.update(w);
    average.swapIn(w);
    expect(average.swapped).toBe(true);
    expect(Array.from(w.a.dataSync())).toEqual([3]);
    expect(Array.from(w.b.dataSync())).toEqual([2, 3]);
    expect(() => average.update(w)).toThrow(/swapOut first/);
    expect(() => average.swapIn(w)).toThrow(EffnetScheduleError);
    average.swapOut(w);
    expect(Array.from(w.a.dataSync())).toEqual([4]);
    expect(Array.from(w.b.dataSync())).toEqual([3, 5]);
    expect(Array.from(average.averages().get('b')!.dataSync())).toEqual([2, 3]);
    expect(() => average.swapOut(w)).toThrow(/not swapped in/);
    average.dispose();
    w.a.dispose();
    w.b.dispose();
  });

  it('rejects bad decays and weights that changed with EffnetScheduleError', () => {
    expect(() => ema(1)).toThrow(/^decay: must be in \[0, 1\)/);
    expect(() => ema(Number.NaN)).toThrow(EffnetScheduleError);
    const average = ema(0.9);
    const a = variable([0, 0]);
    const b = variable([0, 0, 0]);
    expect(() => average.swapIn([a])).toThrow(/nothing averaged yet/);
    average.update([a]);
    expect(() => average.update([b])).toThrow(/^weights: update: the weights differ/);
    expect(() => average.update([a, b])).toThrow(EffnetScheduleError);
    average.dispose();
    a.dispose();
    b.dispose();
  });
});

describe('ema as the Trainer uses it', () => {
  it('starts at the weights, warms up from d = 0.1, and restores a checkpoint exactly', () => {
    // The Trainer calls update once at construction (the averages start at the initial weights),
    // then once per step with warm-up on: step 1 uses d = 0.1, step 2 uses 2/11.
    const w = { kernel: variable([10]) };
    const average = ema(0.99, { warmup: true });
    average.update(w);
    set(w.kernel, [20]);
    average.update(w);
    expect(average.averages().get('kernel')!.dataSync()[0]).toBeCloseTo(0.1 * 10 + 0.9 * 20, 5);
    set(w.kernel, [0]);
    average.update(w);
    expect(average.averages().get('kernel')!.dataSync()[0]).toBeCloseTo((2 / 11) * 19 + (9 / 11) * 0, 5);
    expect(average.updates).toBe(2);

    const resumed = ema(0.99, { warmup: true });
    resumed.update(w);
    const saved = tf.tensor([19 * (2 / 11)]);
    resumed.restore(2, { kernel: saved });
    expect(resumed.nextDecay()).toBe(average.nextDecay());
    expect(resumed.averages().get('kernel')!.dataSync()[0]).toBeCloseTo(average.averages().get('kernel')!.dataSync()[0]!, 5);
    expect(() => resumed.restore(2, { other: saved })).toThrow(/'other' \[1\] is not one of the averaged weights/);
    saved.dispose();
    resumed.dispose();
    average.dispose();
    w.kernel.dispose();
  });

  it('refuses a second swapIn and a swapOut without swapIn (no silent no-op)', () => {
    const w = [variable([1])];
    const average = ema(0.5);
    average.update(w);
    average.swapIn(w);
    expect(() => average.swapIn(w)).toThrow(/^weights: the averages are already swapped in; call swapOut first/);
    average.swapOut(w);
    expect(() => average.swapOut(w)).toThrow(/^weights: the averages are not swapped in; call swapIn first/);
    expect(Array.from(w[0]!.dataSync())).toEqual([1]);
    average.dispose();
    w[0]!.dispose();
  });
});

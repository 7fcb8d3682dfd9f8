// Exponential moving average of a model's weights (EfficientNetV2 evaluates with EMA decay
// 0.9999): shadow ← d·shadow + (1 − d)·weight after each optimiser step, with TensorFlow's
// optional warm-up d = min(decay, (1 + t) / (10 + t)) so that early averages follow the weights.
// `swapIn` puts the averages into the model for evaluation and keeps the live weights aside;
// `swapOut` puts them back.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetScheduleError } from './errors.js';

/** The weights to average: variables by name, or a list (keyed by position). */
export type EmaWeights = Readonly<Record<string, tf.Variable>> | readonly tf.Variable[];

/** Options of {@link ema}. */
export interface EmaOptions {
  /** Use d = min(decay, (1 + t) / (10 + t)) at update t (TensorFlow's num_updates warm-up). Default false. */
  warmup?: boolean;
}

/** A running average of weights, from {@link ema}. */
export interface WeightEma {
  /** Number of averaging updates so far (the first `update` only copies the weights). */
  readonly updates: number;
  /** The decay the next update will use. */
  nextDecay(): number;
  /** Averages the current weights in (the first call starts the averages at the weights). */
  update(weights: EmaWeights): void;
  /** Puts the averages into `weights` for evaluation; the live values are kept for `swapOut`. */
  swapIn(weights: EmaWeights): void;
  /** Restores the live values after `swapIn`. */
  swapOut(weights: EmaWeights): void;
  /** Whether the averages are swapped in. */
  readonly swapped: boolean;
  /** The averages by key (position for a list), owned by the EMA: do not dispose them. */
  averages(): ReadonlyMap<string, tf.Tensor>;
  /**
   * Continues from a checkpoint: sets the update count and copies `averages` (by key) into the
   * averages already started by `update`.
   */
  restore(updates: number, averages: Readonly<Record<string, tf.Tensor>>): void;
  /** Frees the averages. */
  dispose(): void;
}

const entries = (weights: EmaWeights): [string, tf.Variable][] =>
  Array.isArray(weights) ? weights.map((v, i) => [String(i), v] as [string, tf.Variable]) : Object.entries(weights);

/** An exponential moving average of weights with `decay` in [0, 1). */
export function ema(decay: number, options: EmaOptions = {}): WeightEma {
  if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) throw new EffnetScheduleError('decay', `must be in [0, 1) (e.g. 0.9999), got ${String(decay)}`);
  const warmup = options.warmup ?? false;
  const shadows = new Map<string, tf.Variable>();
  let updates = 0;
  let swapped = false;

  const matching = (weights: EmaWeights, action: string) => {
    const list = entries(weights);
    if (list.length !== shadows.size || list.some(([k, v]) => !shadows.get(k) || shadows.get(k)!.shape.join() !== v.shape.join())) {
      throw new EffnetScheduleError('weights', `${action}: the weights differ from the ones averaged (${shadows.size} tensors); pass the same variables each time`);
    }
    return list;
  };
  const exchange = (weights: EmaWeights, action: string) => {
    tf.tidy(() => {
      for (const [key, v] of matching(weights, action)) {
        const shadow = shadows.get(key)!;
        const live = tf.clone(v);
        v.assign(shadow);
        shadow.assign(live);
      }
    });
  };

  return {
    get updates() {
      return updates;
    },
    get swapped() {
      return swapped;
    },
    nextDecay: () => (warmup ? Math.min(decay, (1 + updates) / (10 + updates)) : decay),
    update(weights) {
      if (swapped) throw new EffnetScheduleError('weights', 'update while the averages are swapped in; call swapOut first');
      if (shadows.size === 0) {
        for (const [key, v] of entries(weights)) shadows.set(key, tf.tidy(() => tf.variable(tf.clone(v), false)));
        return;
      }
      const d = this.nextDecay();
      tf.tidy(() => {
        for (const [key, v] of matching(weights, 'update')) {
          const shadow = shadows.get(key)!;
          shadow.assign(tf.add(tf.mul(shadow, d), tf.mul(v, 1 - d)));
        }
      });
      updates += 1;
    },
    swapIn(weights) {
      if (swapped) throw new EffnetScheduleError('weights', 'the averages are already swapped in; call swapOut first');
      if (shadows.size === 0) throw new EffnetScheduleError('weights', 'nothing averaged yet; call update(weights) first');
      exchange(weights, 'swapIn');
      swapped = true;
    },
    swapOut(weights) {
      if (!swapped) throw new EffnetScheduleError('weights', 'the averages are not swapped in; call swapIn first');
      exchange(weights, 'swapOut');
      swapped = false;
    },
    averages: () => shadows,
    restore(count, values) {
      if (swapped) throw new EffnetScheduleError('weights', 'restore while the averages are swapped in; call swapOut first');
      if (!Number.isSafeInteger(count) || count < 0) throw new EffnetScheduleError('updates', `must be a non-negative integer, got ${String(count)}`);
      for (const [key, value] of Object.entries(values)) {
        const shadow = shadows.get(key);
        if (!shadow || shadow.shape.join() !== value.shape.join()) {
          throw new EffnetScheduleError('weights', `restore: '${key}' [${value.shape.join(', ')}] is not one of the averaged weights; call update(weights) first and pass the same names`);
        }
      }
      for (const [key, value] of Object.entries(values)) shadows.get(key)!.assign(value);
      updates = count;
    },
    dispose() {
      for (const shadow of shadows.values()) shadow.dispose();
      shadows.clear();
    },
  };
}

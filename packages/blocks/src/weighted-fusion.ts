// Weighted feature fusion of a BiFPN node (EfficientDet 2020, section 3.3): inputs of the same
// shape are combined as an unbounded sum Σ Iᵢ, a softmax-weighted sum Σ softmax(w)ᵢ·Iᵢ, or the fast
// normalised fusion Σ wᵢ/(ε + Σⱼ wⱼ)·Iᵢ with weights kept ≥ 0 by ReLU and ε = 1e-4. The learnable
// weights (one scalar per input, initialised to 1 as in google/automl) live at `<scope>.weights`.
import * as tf from '@tensorflow/tfjs-core';
import type { FusionMode } from '@effnet/scaling';
import { EffnetBlockError } from './errors.js';
import { constant } from './initializers.js';
import type { ApplyContext, Module } from './module.js';
import { valueOf, type ParamEntry, type ParamScope } from './param-store.js';

/** ε of the fast normalised fusion. */
export const FUSION_EPSILON = 1e-4;

/** Fuses a list of same-shape NHWC tensors into one. */
export class WeightedFusion implements Module<tf.Tensor5D, tf.Tensor4D> {
  /** One weight per input (absent for `sum`). */
  readonly weights: ParamEntry | null;

  /**
   * @param scope - Where the weights live.
   * @param inputs - Number of inputs (≥ 2).
   * @param mode - `fast`, `softmax` or `sum`.
   * @throws EffnetBlockError for fewer than two inputs or an unknown mode.
   */
  constructor(
    private readonly scope: ParamScope,
    readonly inputs: number,
    readonly mode: FusionMode,
  ) {
    if (!Number.isSafeInteger(inputs) || inputs < 2) throw new EffnetBlockError(scope.prefix, `a fusion node needs at least 2 inputs, got ${inputs}`);
    if (mode !== 'fast' && mode !== 'softmax' && mode !== 'sum') throw new EffnetBlockError(scope.prefix, `fusion mode must be 'fast', 'softmax' or 'sum', got '${String(mode)}'`);
    this.weights = mode === 'sum' ? null : scope.add('weights', [inputs], constant(1));
  }

  /** The name prefix of the weights. */
  get name(): string {
    return this.scope.prefix;
  }

  /** The normalised weight of each input (ones for `sum`), as a `[inputs]` tensor. */
  normalisedWeights(): tf.Tensor1D {
    return tf.tidy(() => {
      if (!this.weights) return tf.ones([this.inputs]) as tf.Tensor1D;
      const w = valueOf<tf.Tensor1D>(this.weights);
      if (this.mode === 'softmax') return tf.softmax(w);
      const kept = tf.relu(w);
      return tf.div(kept, tf.add(tf.sum(kept), FUSION_EPSILON)) as tf.Tensor1D;
    });
  }

  /**
   * Fuses `inputs` (one per weight, same shape).
   *
   * @throws EffnetBlockError when the count or shapes differ.
   */
  fuse(inputs: readonly tf.Tensor4D[], _ctx?: ApplyContext): tf.Tensor4D {
    if (inputs.length !== this.inputs) throw new EffnetBlockError(this.name, `expects ${this.inputs} inputs, got ${inputs.length}`);
    const shape = inputs[0]!.shape;
    for (const x of inputs) {
      if (x.rank !== 4 || x.shape.some((d, i) => d !== shape[i])) {
        throw new EffnetBlockError(this.name, `inputs must share one NHWC shape; got [${inputs.map((t) => t.shape.join(', ')).join('] and [')}]; resample them first`);
      }
    }
    return tf.tidy(() => {
      if (!this.weights) return tf.addN([...inputs]);
      const w = this.normalisedWeights();
      const parts = tf.unstack(w);
      return tf.addN(inputs.map((x, i) => tf.mul(x, parts[i]!))) as tf.Tensor4D;
    });
  }

  /** The Module form: `x` holds the inputs stacked on a new first axis, `[inputs, N, H, W, C]`. */
  apply(x: tf.Tensor5D, ctx: ApplyContext): tf.Tensor4D {
    if (x.rank !== 5 || x.shape[0] !== this.inputs) {
      throw new EffnetBlockError(this.name, `apply() takes the ${this.inputs} inputs stacked on axis 0, [${this.inputs}, N, H, W, C], got [${x.shape.join(', ')}]; use fuse(list) for a list`);
    }
    return tf.tidy(() => this.fuse(tf.unstack(x) as tf.Tensor4D[], ctx));
  }

  /** The fusion weights (empty for `sum`). */
  parameters(): ParamEntry[] {
    return this.weights ? [this.weights] : [];
  }

  /** Fusion has no state. */
  state(): ParamEntry[] {
    return [];
  }
}

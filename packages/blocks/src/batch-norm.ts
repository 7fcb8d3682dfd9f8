// Batch normalisation over NHWC channels as PyTorch's BatchNorm2d computes it (the convention the
// spec's eps and momentum are given in): in training, normalise with the batch mean and the biased
// batch variance and update the moving statistics as m · batch + (1 − m) · moving, with the
// unbiased variance; in evaluation, normalise with the moving statistics and change nothing.
// γ = 1, β = 0, moving mean 0 and moving variance 1 at start (torchvision's initialisation).
// Training mode has a closed-form gradient (tf.customGrad; Ioffe & Szegedy 2015, §3): with
// x̂ = (x − μ)/σ and σ = √(var + eps), dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)),
// dγ = Σ dy · x̂, dβ = Σ dy, sums over N, H, W. It replaces the autodiff chain through
// tf.moments and FusedBatchNorm's gradient (Tile and Sum per statistic), which dominated a
// training step on tfjs-backend-wasm; the forward values are computed exactly as before.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import type { BatchNormSpec } from '@effnet/scaling';
import { backendHas } from './backend-kernels.js';
import { EffnetBlockError } from './errors.js';
import { constant } from './initializers.js';
import { Layer, requireImages, type ApplyContext } from './module.js';
import { valueOf, type ParamEntry, type ParamScope } from './param-store.js';

/**
 * The kernel a backend may register for the batch's statistics in training: input `x` (float32
 * NHWC), outputs [mean, variance] over N, H, W (the variance biased), rounded as tf.moments'
 * kernels round them.
 */
export const BATCH_MOMENTS_KERNEL = 'EffnetBatchMoments';

/**
 * The kernel a backend may register for batch norm's training gradients: inputs `dy`, `x`, `mean`,
 * `variance`, `gamma` and attr `eps`, outputs [dx, dγ, dβ] as {@link batchNormGradients} computes
 * them.
 */
export const BATCH_NORM_GRAD_KERNEL = 'EffnetBatchNormGrad';

/** Options of a {@link BatchNorm}. */
export interface BatchNormOptions extends BatchNormSpec {
  /** Channels (the last axis). */
  channels: number;
}

/** A batch-norm layer: parameters `gamma`, `beta`; state `movingMean`, `movingVariance`. */
export class BatchNorm extends Layer {
  /** Scale γ. */
  readonly gamma: ParamEntry;
  /** Shift β. */
  readonly beta: ParamEntry;
  /** Moving mean (state, not trained). */
  readonly movingMean: ParamEntry;
  /** Moving variance (state, not trained). */
  readonly movingVariance: ParamEntry;

  /**
   * @param scope - Where the parameters and state live.
   * @param options - Channels, eps and momentum (PyTorch sense: 0.1 is TensorFlow's 0.9).
   * @throws EffnetBlockError for eps ≤ 0 or a momentum outside [0, 1].
   */
  constructor(
    scope: ParamScope,
    readonly options: BatchNormOptions,
  ) {
    super(scope);
    const { channels, eps, momentum } = options;
    if (!(typeof eps === 'number' && eps > 0 && Number.isFinite(eps))) throw new EffnetBlockError(scope.prefix, `eps must be a positive number, got ${String(eps)}`);
    if (!(typeof momentum === 'number' && momentum >= 0 && momentum <= 1)) {
      throw new EffnetBlockError(scope.prefix, `momentum must be in [0, 1] (PyTorch sense: TensorFlow's 0.99 is 0.01), got ${String(momentum)}`);
    }
    this.gamma = scope.add('gamma', [channels], constant(1));
    this.beta = scope.add('beta', [channels], constant(0));
    this.movingMean = scope.add('movingMean', [channels], constant(0), false);
    this.movingVariance = scope.add('movingVariance', [channels], constant(1), false);
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    const { channels, eps, momentum } = this.options;
    const input = requireImages(this.name, x, channels);
    const gamma = valueOf<tf.Tensor1D>(this.gamma);
    const beta = valueOf<tf.Tensor1D>(this.beta);
    const movingMean = valueOf<tf.Tensor1D>(this.movingMean);
    const movingVariance = valueOf<tf.Tensor1D>(this.movingVariance);
    if (!ctx.training || ctx.frozenBatchNorm) return tf.batchNorm4d(input, movingMean, movingVariance, beta, gamma, eps);
    return normaliseBatch(input, gamma, beta, eps, (mean, variance) => {
      const n = input.shape[0] * input.shape[1] * input.shape[2];
      const unbiased = tf.mul(variance, n / Math.max(1, n - 1));
      this.movingMean.variable!.assign(tf.add(tf.mul(movingMean, 1 - momentum), tf.mul(mean, momentum)));
      this.movingVariance.variable!.assign(tf.add(tf.mul(movingVariance, 1 - momentum), tf.mul(unbiased, momentum)));
    });
  }
}

/** The mean and biased variance of `x` over N, H, W: the backend's BATCH_MOMENTS_KERNEL if it has one, else tf.moments. */
function batchMoments(x: tf.Tensor4D): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (!backendHas(BATCH_MOMENTS_KERNEL)) return tf.moments(x, [0, 1, 2]) as { mean: tf.Tensor1D; variance: tf.Tensor1D };
  const [mean, variance] = tf.engine().runKernel(BATCH_MOMENTS_KERNEL, { x }) as [tf.Tensor1D, tf.Tensor1D];
  return { mean, variance };
}

/**
 * `tf.batchNorm4d(x, mean, variance, beta, gamma, eps)` with the batch's own mean and (biased)
 * variance, which it hands to `update` (the moving statistics), differentiated in closed form with
 * respect to `x` (through the statistics too), `gamma` and `beta`. The statistics and the update
 * run inside the custom-gradient op, where tfjs records nothing for the backward pass: on the
 * tape they cost a node and a saved copy per kernel that the backward pass never reads.
 */
function normaliseBatch(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, update: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void): tf.Tensor4D {
  const op = tf.customGrad((...args: Array<tf.Tensor | GradSaveFunc>) => {
    const [xIn, gammaIn, betaIn, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, GradSaveFunc];
    const { mean, variance } = batchMoments(xIn);
    update(mean, variance);
    save([xIn, mean, variance, gammaIn]);
    return {
      value: tf.batchNorm4d(xIn, mean, variance, betaIn, gammaIn, eps),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, v, g] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        return batchNormGradients(dy as tf.Tensor4D, xs, mu, v, g, eps);
      },
    };
  });
  return op(x, gamma, beta) as tf.Tensor4D;
}

/**
 * The closed-form gradients [dx, dγ, dβ] of training-mode batch norm: dγ = Σ dy · x̂, dβ = Σ dy,
 * dx = γ/σ · dy − γ/σ · Σdy / n − (x − μ) · γ/σ² · dγ / n (the header's formula with x̂ = (x − μ)/σ):
 * the backend's BATCH_NORM_GRAD_KERNEL if it has one, else 17 kernels.
 */
export function batchNormGradients(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  gamma: tf.Tensor1D,
  eps: number,
): [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D] {
  if (backendHas(BATCH_NORM_GRAD_KERNEL)) {
    return tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, { dy, x, mean, variance, gamma }, { eps }) as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
  }
  const count = x.shape[0] * x.shape[1] * x.shape[2];
  const invStd = tf.rsqrt(tf.add(variance, eps));
  const centred = tf.sub(x, mean);
  const sumDy = tf.sum(dy, [0, 1, 2]) as tf.Tensor1D;
  const dGamma = tf.mul(tf.sum(tf.mul(dy, centred), [0, 1, 2]), invStd) as tf.Tensor1D;
  const scale = tf.mul(gamma, invStd);
  const perCentred = tf.mul(scale, tf.mul(invStd, tf.div(dGamma, -count)));
  const perChannel = tf.mul(scale, tf.div(sumDy, -count));
  const dx = tf.add(tf.add(tf.mul(dy, scale), tf.mul(centred, perCentred)), perChannel) as tf.Tensor4D;
  return [dx, dGamma, sumDy];
}

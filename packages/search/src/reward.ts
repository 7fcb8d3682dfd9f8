// The reward a search ranks candidates by: EfficientNetV2's A · S^w · P^v (2021, section 3.3:
// accuracy, normalised training-step time, parameters) or EfficientNet's MnasNet-style
// ACC · (FLOPS / T)^w (2019, section 4), with scaling's reward functions and the weights as options.
import { rewardV1, rewardV2 } from '@effnet/scaling';
import { EffnetSearchError } from './errors.js';

/** EfficientNetV2's reward: `accuracy · (stepMs / stepMsTarget)^w · (params / paramsTarget)^v`. */
export interface RewardV2Config {
  /** Which reward. */
  kind: 'v2';
  /** Exponent of the step time (default −0.07). */
  w?: number;
  /** Exponent of the parameter count (default −0.05). */
  v?: number;
  /** Step time the measured one is divided by, ms (default 1: a constant factor, so rankings do not depend on it). */
  stepMsTarget?: number;
  /** Parameter count the measured one is divided by (default 1, likewise). */
  paramsTarget?: number;
}

/** EfficientNet's (MnasNet's) reward: `accuracy · (flops / target)^w`. */
export interface RewardV1Config {
  /** Which reward. */
  kind: 'v1';
  /** Target FLOPs T (> 0). */
  target: number;
  /** Exponent (default −0.07). */
  w?: number;
}

/** The reward of a search. */
export type RewardConfig = RewardV2Config | RewardV1Config;

/** What a reward is computed from. */
export interface RewardInputs {
  /** Top-1 accuracy on the proxy task's validation images, in [0, 1]. */
  accuracy: number;
  /** Median training-step time, ms. */
  stepMs: number;
  /** Trainable parameters. */
  params: number;
  /** Multiply-adds ×2 of one image at the search resolution. */
  flops: number;
}

/**
 * The reward of one candidate.
 *
 * @param inputs - Accuracy, step time, parameters and FLOPs.
 * @param config - The reward and its weights (default EfficientNetV2's with w = −0.07, v = −0.05).
 * @throws EffnetSearchError for an unknown kind; scaling's EffnetConfigError for values out of range.
 * @example searchReward({ accuracy: 0.8, stepMs: 100, params: 1e5, flops: 1e7 }) // 0.8 · 100^−0.07 · 1e5^−0.05
 */
export function searchReward(inputs: RewardInputs, config: RewardConfig = { kind: 'v2' }): number {
  if (config?.kind === 'v1') return rewardV1(inputs.accuracy, inputs.flops, { target: config.target, w: config.w });
  if (config?.kind !== 'v2') throw new EffnetSearchError('reward.kind', `must be 'v2' (accuracy, step time, params) or 'v1' (accuracy, FLOPs), got ${JSON.stringify((config as { kind?: unknown } | undefined)?.kind)}`);
  const stepTarget = config.stepMsTarget ?? 1;
  const paramsTarget = config.paramsTarget ?? 1;
  if (!(stepTarget > 0) || !(paramsTarget > 0)) throw new EffnetSearchError('reward', 'stepMsTarget and paramsTarget must be positive');
  return rewardV2(inputs.accuracy, inputs.stepMs / stepTarget, inputs.params / paramsTarget, { w: config.w, v: config.v });
}

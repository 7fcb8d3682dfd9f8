// The multi-objective rewards of the architecture searches: EfficientNet 2019 section 4 (after
// MnasNet): ACC(m) · (FLOPS(m) / T)^w; EfficientNetV2 2021 section 3.3: A · S^w · P^v.
import { requireAtLeast, requirePositive } from './config-checks.js';
import { EffnetConfigError } from './errors.js';

/** Options of {@link rewardV1}. */
export interface RewardV1Options {
  /** Target FLOPs T (> 0; the B0 search used 400M). */
  target: number;
  /** Exponent w (default −0.07). */
  w?: number;
}

/** Options of {@link rewardV2}. */
export interface RewardV2Options {
  /** Exponent of the step time (default −0.07). */
  w?: number;
  /** Exponent of the parameter count (default −0.05). */
  v?: number;
}

function finite(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new EffnetConfigError(field, `${field} must be a finite number, got ${String(value)}`);
  return value;
}

/**
 * The EfficientNet (V1) search reward `acc · (flops / target)^w`.
 *
 * @param acc - Accuracy (≥ 0, any scale: the reward is proportional to it).
 * @param flops - FLOPs of the model (> 0).
 * @param options - `target` FLOPs (> 0) and exponent `w` (default −0.07).
 * @returns The reward.
 * @throws EffnetConfigError naming the argument that is not finite or out of range.
 * @example rewardV1(0.77, 800e6, { target: 400e6 }) // 0.77 · 2^−0.07 ≈ 0.7336
 */
export function rewardV1(acc: number, flops: number, options: RewardV1Options): number {
  requireAtLeast('acc', acc, 0);
  requirePositive('flops', flops);
  if (typeof options !== 'object' || options === null) throw new EffnetConfigError('target', 'rewardV1 needs { target } (the target FLOPs, e.g. 400e6)');
  const target = requirePositive('target', options.target);
  const w = finite('w', options.w ?? -0.07);
  return acc * (flops / target) ** w;
}

/**
 * The EfficientNetV2 search reward `acc · stepTime^w · params^v`.
 *
 * @param acc - Accuracy (≥ 0).
 * @param stepTime - Normalised training step time (> 0).
 * @param params - Parameter count (> 0).
 * @param options - Exponents `w` (default −0.07) and `v` (default −0.05).
 * @returns The reward.
 * @throws EffnetConfigError naming the argument that is not finite or out of range.
 */
export function rewardV2(acc: number, stepTime: number, params: number, options: RewardV2Options = {}): number {
  requireAtLeast('acc', acc, 0);
  requirePositive('stepTime', stepTime);
  requirePositive('params', params);
  const w = finite('w', options.w ?? -0.07);
  const v = finite('v', options.v ?? -0.05);
  return acc * stepTime ** w * params ** v;
}

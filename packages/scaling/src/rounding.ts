// Channel and depth rounding of compound scaling: google/automl's `round_filters` (identical to
// torchvision's `_make_divisible`) and `round_repeats` (EfficientNet 2019, section 3.3).
import { requireInteger, requirePositive } from './config-checks.js';

/**
 * Scales `channels` by `width` and rounds to a multiple of `divisor`, never below `divisor` and
 * never more than 10 % below the exact product:
 * `c' = max(divisor, ⌊c·w + divisor/2⌋ // divisor · divisor)`, plus `divisor` if `c' < 0.9·c·w`.
 * google/automl's EfficientNetV2 builder (and timm's and Keras' V2) drop the 10 % rule: pass
 * `roundLimit` 0.
 *
 * @param channels - Channels before scaling (> 0).
 * @param width - Width multiplier (> 0).
 * @param divisor - Rounding step, a positive integer (8 in every preset).
 * @param roundLimit - Round up by `divisor` when the result is below `roundLimit · c · w` (default 0.9; 0 never).
 * @returns The rounded channel count.
 * @throws EffnetConfigError when an argument is not a positive finite number.
 * @example roundFilters(32, 1.1) // 32; roundFilters(1280, 1.8) // 2304
 */
export function roundFilters(channels: number, width: number, divisor = 8, roundLimit = 0.9): number {
  requirePositive('channels', channels);
  requirePositive('width', width);
  requireInteger('divisor', divisor);
  const scaled = channels * width;
  let rounded = Math.max(divisor, Math.floor(Math.trunc(scaled + divisor / 2) / divisor) * divisor);
  if (rounded < roundLimit * scaled) rounded += divisor;
  return rounded;
}

/**
 * Scales a stage's repeat count by the depth multiplier, rounding up: `⌈repeats · depth⌉`.
 *
 * @param repeats - Blocks in the unscaled stage (a positive integer).
 * @param depth - Depth multiplier (> 0).
 * @returns The scaled repeat count.
 * @throws EffnetConfigError when `repeats` is not a positive integer or `depth` not a positive finite number.
 */
export function roundRepeats(repeats: number, depth: number): number {
  requireInteger('repeats', repeats);
  requirePositive('depth', depth);
  return Math.ceil(repeats * depth);
}

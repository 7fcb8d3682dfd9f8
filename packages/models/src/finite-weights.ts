// The one check every load and import path runs before it assigns a value: a weight that is NaN or
// ±Inf makes every prediction NaN, so it is refused with the tensor's name instead.
import { EffnetWeightsError } from './errors.js';

/**
 * Throws when `values` holds a NaN or an infinity.
 *
 * @param source - The file or format the values come from (the error's field).
 * @param name - The tensor's name, as the file spells it.
 * @param values - The tensor's values.
 * @throws EffnetWeightsError naming the tensor, the first bad value and its index.
 */
export function assertFiniteWeights(source: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!Number.isFinite(value)) {
      throw new EffnetWeightsError(source, `tensor '${name}' holds ${value} at index ${i}: the weights are corrupt or come from a diverged run; re-export them from a healthy checkpoint`);
    }
  }
}

// The `quantize` option of the exporters: null/undefined for float32, or a setting checked by
// @effnet/models (the same settings saveWeights takes).
import { checkQuantization, type WeightQuantization } from '@effnet/models';
import { EffnetExportError } from './errors.js';

/**
 * Checks an exporter's `quantize` option.
 *
 * @throws EffnetExportError naming the accepted settings.
 */
export function checkQuantizeOption(value: unknown): WeightQuantization | null {
  if (value === undefined || value === null) return null;
  try {
    return checkQuantization(value);
  } catch (error) {
    throw new EffnetExportError('quantize', (error as Error).message.replace(/^quantize: /, ''));
  }
}

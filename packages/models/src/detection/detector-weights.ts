// A detector's variables as a safetensors file and back (the format models/safetensors.ts reads
// and writes): every parameter and BN statistic under its stable name. Loading checks that every
// tensor the detector needs is present with its shape before assigning any.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetWeightsError } from '../errors.js';
import { readSafetensors, writeSafetensors } from '../safetensors.js';
import type { EfficientDet } from './efficientdet.js';

/**
 * Serialises every variable of `model` (weights and BN statistics) as safetensors bytes.
 *
 * @throws EffnetWeightsError for a shape-only or disposed model.
 */
export async function detectorToSafetensors(model: EfficientDet): Promise<Uint8Array> {
  const entries = model.store.list();
  if (entries.some((e) => !e.variable || e.variable.isDisposed)) throw new EffnetWeightsError('model', 'has no values to save: it was built shape-only or disposed');
  const tensors = new Map<string, { shape: readonly number[]; values: ArrayLike<number> }>();
  for (const entry of entries) tensors.set(entry.name, { shape: entry.shape, values: await entry.variable!.data() });
  return writeSafetensors(tensors);
}

/**
 * Assigns the tensors of a safetensors file to `model`'s variables.
 *
 * @param model - A detector built from the spec the weights were saved with.
 * @param bytes - The file's bytes.
 * @throws EffnetWeightsError listing missing, unexpected or misshaped tensors (nothing is assigned then).
 */
export function loadDetectorSafetensors(model: EfficientDet, bytes: Uint8Array): void {
  const file = readSafetensors(bytes);
  const entries = model.store.list();
  const problems: string[] = [];
  for (const entry of entries) {
    const tensor = file.get(entry.name);
    if (!tensor) problems.push(`missing ${entry.name}`);
    else if (tensor.shape.length !== entry.shape.length || tensor.shape.some((d, i) => d !== entry.shape[i])) {
      problems.push(`${entry.name} is [${tensor.shape.join(', ')}], the detector needs [${entry.shape.join(', ')}]`);
    }
  }
  const known = new Set(entries.map((e) => e.name));
  for (const name of file.keys()) if (!known.has(name)) problems.push(`unexpected ${name}`);
  if (problems.length > 0) {
    throw new EffnetWeightsError('weights', `do not fit detector '${model.spec.name}': ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}; save and load with the same DetectorSpec`);
  }
  for (const entry of entries) {
    if (!entry.variable) throw new EffnetWeightsError('model', 'was built shape-only; build it normally to load weights');
    const { shape, values } = file.get(entry.name)!;
    tf.tidy(() => entry.variable!.assign(tf.tensor(values, shape, 'float32')));
  }
}

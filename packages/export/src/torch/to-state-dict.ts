// toStateDict: a classifier's weights under torchvision's or timm's state-dict names, in
// safetensors, so that training can go on in PyTorch: the name tables and the safetensors writer
// are @effnet/models' (the ones importWeights reads with), the layouts are PyTorch's (conv OIHW,
// depthwise [C, 1, k, k], linear [out, in]). BN `num_batches_tracked` is left out: PyTorch fills
// it in on load_state_dict(strict=True).
import { EfficientNet, timmNames, torchvisionNames, writeSafetensors, type CheckpointFormat, type NameTable } from '@effnet/models';
import { EffnetExportError } from '../errors.js';
import { convToOihw, depthwiseToOihw, linearToOutIn } from '../layouts.js';

/** The PyTorch architecture a spec corresponds to, where one exists by name (for the docs and checks). */
export type StateDictFormat = CheckpointFormat;

function namesFor(model: EfficientNet, format: StateDictFormat): NameTable {
  try {
    return format === 'timm' ? timmNames(model.spec) : torchvisionNames(model.spec);
  } catch (error) {
    throw new EffnetExportError('format', `${format} cannot hold '${model.spec.name}': ${(error as Error).message}`);
  }
}

/**
 * A classifier's state dict under torchvision's or timm's names, as safetensors bytes.
 *
 * @param model - An EfficientNet classifier (not featuresOnly, not shape-only).
 * @param format - `torchvision` (`features.*`, `classifier.1.*`) or `timm` (`conv_stem`, `blocks.*`, `classifier`).
 * @returns The safetensors file: float32 tensors in PyTorch layouts.
 * @throws EffnetExportError for a detector or backbone, an unknown format, or a block the format cannot hold.
 * @example
 * ```ts
 * await writeFile('b0.safetensors', toStateDict(model, 'torchvision'));
 * // python: model.load_state_dict(safetensors.torch.load_file('b0.safetensors'), strict=True)
 * ```
 */
export function toStateDict(model: EfficientNet, format: StateDictFormat): Uint8Array {
  if (!(model instanceof EfficientNet)) throw new EffnetExportError('model', 'torchvision and timm state dicts are written for EfficientNet classifiers only (EfficientDet has no torchvision or timm counterpart here)');
  if (format !== 'torchvision' && format !== 'timm') throw new EffnetExportError('format', `must be 'torchvision' or 'timm', got ${JSON.stringify(format)}`);
  if (model.featuresOnly) throw new EffnetExportError('model', `'${model.spec.name}' was built featuresOnly; torchvision and timm classifiers have a head and a classifier`);
  const variables = model.namedVariables();
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [ours, [theirs, layout]] of namesFor(model, format)) {
    const variable = variables[ours];
    if (!variable) throw new EffnetExportError('model', `has no variable '${ours}': it was built shape-only or disposed`);
    const values = variable.dataSync() as Float32Array;
    const shape = [...variable.shape];
    tensors.set(
      theirs,
      layout === 'conv' ? convToOihw(values, shape) : layout === 'depthwise' ? depthwiseToOihw(values, shape) : layout === 'linear' ? linearToOutIn(values, shape) : { shape, values: Float32Array.from(values) },
    );
  }
  if (tensors.size !== Object.keys(variables).length) throw new EffnetExportError('model', `${Object.keys(variables).length} variables but ${tensors.size} ${format} names: the spec has layers ${format} does not name`);
  return writeSafetensors(tensors);
}

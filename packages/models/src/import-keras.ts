// Imports a Keras 3 `.weights.h5` file of keras.applications' EfficientNet (B0-B7) or
// EfficientNetV2 (B0-B3, S, M, L) into a model built from the matching preset. Keras 3 stores each
// layer under a name made from its class and its position among layers of that class
// (`layers/conv2d_7/vars/0`), not under the layer's own name, so the table numbers effnet's
// convolutions, depthwise convolutions, batch norms and the classifier in Keras' layer order (stem,
// each block's expand / depthwise / SE / project, head). Keras' tensors already have TensorFlow's
// layouts (HWIO, [kh, kw, C, 1], [in, out]). The HDF5 file is read with h5wasm. As importWeights:
// names and shapes are all checked before anything is written.
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm';
import { CENTERED_PREPROCESSING, IMAGENET_PREPROCESSING, type ModelSpec, type PreprocessingSpec } from '@effnet/scaling';
import type { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { assertFiniteWeights } from './finite-weights.js';

/** A tensor of a Keras weights file. */
interface KerasTensor {
  shape: number[];
  values: Float32Array;
}

/** effnet name → Keras weights-file path (`layers/<class>_<n>/vars/<i>`). */
export type KerasNameTable = Map<string, string>;

const BN_VARS = ['gamma', 'beta', 'movingMean', 'movingVariance'];

/**
 * The Keras 3 weights-file paths of every parameter and BN statistic of a model built from `spec`,
 * in keras.applications' layer order.
 *
 * @param spec - The model's spec.
 */
export function kerasNames(spec: ModelSpec): KerasNameTable {
  const map: KerasNameTable = new Map();
  const counters = new Map<string, number>();
  const next = (kind: string) => {
    const n = counters.get(kind) ?? 0;
    counters.set(kind, n + 1);
    return n === 0 ? `layers/${kind}` : `layers/${kind}_${n}`;
  };
  const conv = (ours: string, kind = 'conv2d', bias = false) => {
    const layer = next(kind);
    map.set(`${ours}.kernel`, `${layer}/vars/0`);
    if (bias) map.set(`${ours}.bias`, `${layer}/vars/1`);
  };
  const bn = (ours: string) => {
    const layer = next('batch_normalization');
    BN_VARS.forEach((v, i) => map.set(`${ours}.${v}`, `${layer}/vars/${i}`));
  };
  const convBn = (ours: string, kind = 'conv2d') => {
    conv(`${ours}.conv`, kind);
    bn(`${ours}.bn`);
  };
  convBn('stem');
  spec.blocks.forEach((block, i) => {
    const b = `blocks.${i}`;
    if (block.expandedChannels !== block.inChannels) convBn(`${b}.expand`);
    if (block.kind !== 'fused-mbconv') convBn(`${b}.dw`, 'depthwise_conv2d');
    if (block.seChannels > 0) {
      conv(`${b}.se.reduce`, 'conv2d', true);
      conv(`${b}.se.expand`, 'conv2d', true);
    }
    convBn(`${b}.project`);
  });
  convBn('head');
  if (spec.numClasses > 0) {
    const dense = next('dense');
    map.set('classifier.kernel', `${dense}/vars/0`);
    map.set('classifier.bias', `${dense}/vars/1`);
  }
  return map;
}

let fileCount = 0;
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Every dataset of a Keras weights file under `layers/`, by path. */
async function readKerasFile(bytes: Uint8Array): Promise<Map<string, KerasTensor>> {
  if (!(bytes instanceof Uint8Array) || HDF5_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new EffnetWeightsError('keras weights', 'not an HDF5 file (no HDF5 signature); pass the .weights.h5 file that Keras 3 model.save_weights() writes');
  }
  const { FS } = await h5wasm.ready;
  const path = `/effnet-keras-${fileCount++}-${Math.random().toString(36).slice(2)}.h5`;
  FS.writeFile(path, bytes);
  let file: InstanceType<typeof h5wasm.File> | undefined;
  try {
    try {
      file = new h5wasm.File(path, 'r');
    } catch (error) {
      throw new EffnetWeightsError('keras weights', `not an HDF5 file (${(error as Error).message}); pass the .weights.h5 file that model.save_weights() writes`);
    }
    let layers: ReturnType<typeof file.get>;
    try {
      layers = file.get('layers');
    } catch {
      layers = null;
    }
    if (!(layers instanceof h5wasm.Group)) throw new EffnetWeightsError('keras weights', "has no 'layers' group: not a Keras 3 .weights.h5 file (Keras 2 .h5 files are not supported; load and save_weights() them with Keras 3)");
    const tensors = new Map<string, KerasTensor>();
    for (const layer of layers.keys()) {
      const vars = file.get(`layers/${layer}/vars`);
      if (!(vars instanceof h5wasm.Group)) continue;
      for (const index of vars.keys()) {
        const dataset = file.get(`layers/${layer}/vars/${index}`);
        if (!(dataset instanceof h5wasm.Dataset)) continue;
        const raw = dataset.value;
        const values = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
        tensors.set(`layers/${layer}/vars/${index}`, { shape: [...(dataset.shape ?? [])], values });
      }
    }
    return tensors;
  } finally {
    file?.close();
    FS.unlink(path);
  }
}

function preprocessingOf(tensors: Map<string, KerasTensor>, spec: ModelSpec): PreprocessingSpec {
  const mean = tensors.get('layers/normalization/vars/0');
  const variance = tensors.get('layers/normalization/vars/1');
  if (mean && variance) {
    // keras.applications' ImageNet V1 weights store the std itself as the variance and divide by
    // sqrt(std) once more in an extra Rescaling layer: net effect (x − mean) / std.
    const storesStd = IMAGENET_PREPROCESSING.std.every((s, i) => Math.abs(variance.values[i]! - s) < 1e-6);
    const std = Array.from(variance.values, (v) => (storesStd ? v : Math.sqrt(v)));
    return { kind: 'imagenet', mean: Array.from(mean.values) as [number, number, number], std: std as [number, number, number] };
  }
  // Keras' rule: V2-B0…B3 normalise with ImageNet's mean/std (constants, not in the file), V2-S/M/L with x / 128 − 1.
  return /^efficientnetv2-b\d/.test(spec.name) ? { ...IMAGENET_PREPROCESSING } : { ...CENTERED_PREPROCESSING };
}

/**
 * Copies a Keras 3 `.weights.h5` file of keras.applications' EfficientNet / EfficientNetV2 into
 * `model`, built from the matching preset with Keras' settings (`padding: 'same'`, BN eps 1e-3; see
 * {@link kerasOverrides}).
 *
 * @param model - A model built from the file's architecture.
 * @param bytes - The `.weights.h5` file.
 * @returns The input normalisation Keras' model applies inside (its Rescaling and Normalization
 *   layers), as the mean/std on 0-1 pixels that {@link preprocess} and `effnet predict` apply.
 * @throws EffnetWeightsError for a file that is not Keras 3 HDF5, or listing every missing, unexpected and misshaped tensor.
 */
export async function importKeras(model: EfficientNet, bytes: Uint8Array): Promise<{ preprocessing: PreprocessingSpec }> {
  const tensors = await readKerasFile(bytes);
  const variables = model.namedVariables();
  const problems: string[] = [];
  const used = new Set<string>(['layers/normalization/vars/0', 'layers/normalization/vars/1', 'layers/normalization/vars/2']);
  const plan: [tf.Variable, KerasTensor, string][] = [];
  for (const [ours, theirs] of kerasNames(model.spec)) {
    const target = variables[ours];
    if (!target) throw new EffnetWeightsError('model', `has no variable '${ours}': it was built shape-only or disposed`);
    const source = tensors.get(theirs);
    if (!source) {
      problems.push(`missing '${theirs}' (for ${ours})`);
      continue;
    }
    used.add(theirs);
    if (source.shape.join(',') !== target.shape.join(',')) problems.push(`'${theirs}' has shape [${source.shape.join(', ')}], ${ours} needs [${target.shape.join(', ')}]`);
    else plan.push([target, source, theirs]);
  }
  for (const name of tensors.keys()) if (!used.has(name)) problems.push(`unexpected '${name}'`);
  if (problems.length > 0) throw new EffnetWeightsError('keras weights', `${problems.length} problem(s) for ${model.spec.name}: ${problems.slice(0, 20).join('; ')}${problems.length > 20 ? '; …' : ''}`);
  // Every tensor is checked before any is copied: a refused file leaves the model as it was.
  for (const [, source, theirs] of plan) assertFiniteWeights('keras weights', theirs, source.values);
  for (const [target, source] of plan) {
    const value = tf.tensor(source.values, source.shape, 'float32');
    target.assign(value);
    value.dispose();
  }
  return { preprocessing: preprocessingOf(tensors, model.spec) };
}

/**
 * The preset overrides that give keras.applications' architecture: TensorFlow's 'same' padding and
 * Keras' BN eps 1e-3 (momentum 0.99 for V1, 0.9 for V2, in Keras' sense).
 *
 * @param presetName - An `efficientnet-b*` or `efficientnetv2-*` preset.
 */
export function kerasOverrides(presetName: string): { padding: 'same'; batchNorm: { eps: number; momentum: number } } {
  return { padding: 'same', batchNorm: { eps: 1e-3, momentum: presetName.startsWith('efficientnetv2') ? 0.1 : 0.01 } };
}

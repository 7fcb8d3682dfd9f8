// Imports a PyTorch EfficientNet state dict (torchvision or timm names, safetensors) into a model
// built from the matching ModelSpec: maps the names (weight-names.ts), converts layouts (conv OIHW →
// HWIO, depthwise [C,1,kh,kw] → [kh,kw,C,1], linear [out,in] → [in,out]) and copies the BN running
// statistics. Names and shapes are all checked before any tensor is made; every missing,
// unexpected or misshaped tensor is reported in one EffnetWeightsError, and a failed import leaves
// the model as it was.
import * as tf from '@tensorflow/tfjs-core';
import type { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { assertFiniteWeights } from './finite-weights.js';
import { readSafetensors, type SafeTensor } from './safetensors.js';
import { detectFormat, timmNames, torchvisionNames, type CheckpointFormat, type TorchLayout } from './weight-names.js';

/** Options of {@link importWeights}. */
export interface ImportOptions {
  /** Whose names the checkpoint uses (default `auto`: detected from the names). */
  from?: CheckpointFormat | 'auto';
  /** Checkpoint tensors to skip (besides `num_batches_tracked`, always skipped). */
  ignore?: readonly string[];
}

/** The shape a PyTorch tensor has in effnet's layout (null when its rank does not fit the layout). */
export function convertedShape(shape: readonly number[], layout: TorchLayout): number[] | null {
  switch (layout) {
    case 'conv':
      return shape.length === 4 ? [shape[2]!, shape[3]!, shape[1]!, shape[0]!] : null;
    case 'depthwise':
      return shape.length === 4 && shape[1] === 1 ? [shape[2]!, shape[3]!, shape[0]!, 1] : null;
    case 'linear':
      return shape.length === 2 ? [shape[1]!, shape[0]!] : null;
    case 'vector':
      return shape.length === 1 ? [shape[0]!] : null;
  }
}

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

const PERMUTATION: Record<TorchLayout, number[] | null> = { conv: [2, 3, 1, 0], depthwise: [2, 3, 0, 1], linear: [1, 0], vector: null };

/** `values` of a row-major tensor of `shape`, with its axes permuted by `perm` (output axis i is input axis perm[i]). */
export function permuteAxes(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const inStrides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((axis) => shape[axis]!);
  const stepOf = perm.map((axis) => inStrides[axis]!); // input stride of each output axis
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let to = 0; to < out.length; to++) {
    out[to] = values[from]!;
    // Odometer over the output's axes, last fastest, tracking the input offset.
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis]! < outShape[axis]!) {
        from += stepOf[axis]!;
        break;
      }
      from -= stepOf[axis]! * (outShape[axis]! - 1);
      index[axis] = 0;
    }
  }
  return out;
}

// The layout is converted in JavaScript, not with tf.transpose: on webgl a transpose compiles a
// shader per weight shape and leaves the weights on the GPU, where the fused inference form must
// read them back; values made here stay on the CPU until a kernel first needs them.
function convert(t: SafeTensor, layout: TorchLayout): tf.Tensor {
  const perm = PERMUTATION[layout];
  if (!perm) return tf.tensor(t.values, t.shape, 'float32');
  return tf.tensor(permuteAxes(t.values, t.shape, perm), perm.map((axis) => t.shape[axis]!), 'float32');
}

/**
 * Copies a torchvision or timm state dict (safetensors bytes) into `model`.
 *
 * @param model - A model built from the checkpoint's architecture.
 * @param bytes - The safetensors file.
 * @param options - Format (default: detected) and names to skip.
 * @returns The format that was used.
 * @throws EffnetWeightsError for a malformed file, or listing every missing, unexpected and misshaped tensor.
 */
export function importWeights(model: EfficientNet, bytes: Uint8Array, options: ImportOptions = {}): CheckpointFormat {
  const tensors = readSafetensors(bytes);
  const format = options.from === undefined || options.from === 'auto' ? detectFormat(tensors.keys()) : options.from;
  if (format !== 'torchvision' && format !== 'timm') throw new EffnetWeightsError('from', `must be 'torchvision', 'timm' or 'auto', got ${JSON.stringify(format)}`);
  const names = format === 'timm' ? timmNames(model.spec) : torchvisionNames(model.spec);
  const variables = model.namedVariables();
  const problems: string[] = [];
  const used = new Set<string>();
  const plan: [tf.Variable, SafeTensor, TorchLayout, string][] = [];
  for (const [ours, [theirs, layout]] of names) {
    const source = tensors.get(theirs);
    const target = variables[ours];
    if (!target) throw new EffnetWeightsError('model', `has no variable '${ours}': it was built shape-only or disposed`);
    if (!source) {
      problems.push(`missing '${theirs}' (for ${ours})`);
      continue;
    }
    used.add(theirs);
    if (!FLOAT_DTYPES.has(source.dtype)) {
      problems.push(`'${theirs}' has dtype ${source.dtype}; weights must be F32, F16, BF16 or F64`);
      continue;
    }
    const shape = convertedShape(source.shape, layout);
    if (!shape || shape.join(',') !== target.shape.join(',')) {
      problems.push(`'${theirs}' has shape [${source.shape.join(', ')}], ${ours} needs [${target.shape.join(', ')}] after ${layout} layout conversion`);
      continue;
    }
    plan.push([target, source, layout, theirs]);
  }
  const ignore = new Set(options.ignore ?? []);
  for (const name of tensors.keys()) {
    if (!used.has(name) && !ignore.has(name) && !name.endsWith('num_batches_tracked')) problems.push(`unexpected '${name}'`);
  }
  if (problems.length > 0) throw new EffnetWeightsError(`${format} state dict`, `${problems.length} problem(s): ${problems.join('; ')}`);
  for (const [, source, , theirs] of plan) assertFiniteWeights(`${format} state dict`, theirs, source.values);
  // Nothing is written unless everything fits: a failed import leaves the model as it was.
  const ready = plan.map(([target, source, layout]) => [target, convert(source, layout)] as const);
  for (const [target, value] of ready) {
    target.assign(value);
    value.dispose();
  }
  return format;
}

/**
 * Copies a torchvision state dict into `model` (`importWeights` with `from: 'torchvision'`).
 *
 * @param model - A model built from the checkpoint's architecture.
 * @param bytes - The safetensors file.
 * @param options - Names to skip.
 * @throws EffnetWeightsError as {@link importWeights}.
 */
export function importTorchvision(model: EfficientNet, bytes: Uint8Array, options: { ignore?: readonly string[] } = {}): void {
  importWeights(model, bytes, { ...options, from: 'torchvision' });
}

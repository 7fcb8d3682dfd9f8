// Imports a torchvision EfficientNet / EfficientNetV2 state dict (safetensors) into a model built
// from the matching ModelSpec: maps torchvision's names onto effnet's, converts layouts (conv
// OIHW → HWIO, depthwise [C,1,kh,kw] → [kh,kw,C,1], linear [out,in] → [in,out]) and copies the BN
// running statistics. Every missing, unexpected or misshaped tensor is reported in one error.
import * as tf from '@tensorflow/tfjs-core';
import type { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { readSafetensors, type SafeTensor } from './safetensors.js';

/** How a torchvision tensor is laid out: conv OIHW, depthwise [C,1,kh,kw], linear [out,in], or a vector. */
export type TorchLayout = 'conv' | 'depthwise' | 'linear' | 'vector';

/** effnet name → [torchvision name, layout] for every variable of `model`. */
export function torchvisionNames(model: EfficientNet): Map<string, [string, TorchLayout]> {
  const map = new Map<string, [string, TorchLayout]>();
  const convBn = (ours: string, theirs: string, depthwise = false) => {
    map.set(`${ours}.conv.kernel`, [`${theirs}.0.weight`, depthwise ? 'depthwise' : 'conv']);
    map.set(`${ours}.bn.gamma`, [`${theirs}.1.weight`, 'vector']);
    map.set(`${ours}.bn.beta`, [`${theirs}.1.bias`, 'vector']);
    map.set(`${ours}.bn.movingMean`, [`${theirs}.1.running_mean`, 'vector']);
    map.set(`${ours}.bn.movingVariance`, [`${theirs}.1.running_var`, 'vector']);
  };
  const { spec } = model;
  convBn('stem', 'features.0');
  spec.blocks.forEach((block, i) => {
    const base = `features.${block.stage + 1}.${block.indexInStage}.block`;
    const widens = block.expandedChannels !== block.inChannels;
    let k = 0;
    if (block.kind === 'mbconv') {
      if (widens) convBn(`blocks.${i}.expand`, `${base}.${k++}`);
      convBn(`blocks.${i}.dw`, `${base}.${k++}`, true);
      if (block.seChannels > 0) {
        map.set(`blocks.${i}.se.reduce.kernel`, [`${base}.${k}.fc1.weight`, 'conv']);
        map.set(`blocks.${i}.se.reduce.bias`, [`${base}.${k}.fc1.bias`, 'vector']);
        map.set(`blocks.${i}.se.expand.kernel`, [`${base}.${k}.fc2.weight`, 'conv']);
        map.set(`blocks.${i}.se.expand.bias`, [`${base}.${k++}.fc2.bias`, 'vector']);
      }
      convBn(`blocks.${i}.project`, `${base}.${k}`);
    } else {
      if (widens) convBn(`blocks.${i}.expand`, `${base}.${k++}`);
      convBn(`blocks.${i}.project`, `${base}.${k}`);
    }
  });
  convBn('head', `features.${spec.blocks.at(-1)!.stage + 2}`);
  if (spec.numClasses > 0) {
    map.set('classifier.kernel', ['classifier.1.weight', 'linear']);
    map.set('classifier.bias', ['classifier.1.bias', 'vector']);
  }
  return map;
}

function toLayout(t: SafeTensor, layout: TorchLayout): tf.Tensor {
  const x = tf.tensor(t.values, t.shape);
  switch (layout) {
    case 'conv':
      return tf.transpose(x, [2, 3, 1, 0]);
    case 'depthwise':
      return tf.transpose(x, [2, 3, 0, 1]);
    case 'linear':
      return tf.transpose(x);
    case 'vector':
      return x;
  }
}

/** Copies a torchvision state dict (safetensors bytes) into `model`; extra keys named in `ignore` are allowed. */
export function importTorchvision(model: EfficientNet, bytes: Uint8Array, options: { ignore?: string[] } = {}): void {
  const tensors = readSafetensors(bytes);
  const names = torchvisionNames(model);
  const variables = model.namedVariables();
  const problems: string[] = [];
  const used = new Set<string>();
  const ready: [tf.Variable, tf.Tensor][] = [];
  for (const [ours, [theirs, layout]] of names) {
    const source = tensors.get(theirs);
    if (!source) {
      problems.push(`missing '${theirs}' (for ${ours})`);
      continue;
    }
    used.add(theirs);
    const target = variables[ours]!;
    const converted = tf.tidy(() => toLayout(source, layout));
    if (converted.shape.join(',') !== target.shape.join(',')) {
      problems.push(`'${theirs}' has shape [${source.shape.join(', ')}], ${ours} needs [${target.shape.join(', ')}] after layout conversion`);
      converted.dispose();
      continue;
    }
    ready.push([target, converted]);
  }
  const ignore = new Set(options.ignore ?? []);
  for (const name of tensors.keys()) {
    if (!used.has(name) && !ignore.has(name) && !name.endsWith('num_batches_tracked')) problems.push(`unexpected '${name}'`);
  }
  if (problems.length > 0) {
    tf.dispose(ready.map(([, t]) => t));
    throw new EffnetWeightsError('torchvision state dict', `${problems.length} problem(s): ${problems.join('; ')}`);
  }
  // Nothing is written unless everything fits: a failed import leaves the model as it was.
  for (const [target, value] of ready) {
    target.assign(value);
    value.dispose();
  }
}

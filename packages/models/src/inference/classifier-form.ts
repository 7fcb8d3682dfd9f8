// The inference form of an EfficientNet classifier (and of a detector's backbone), written from its
// ModelSpec and its variables by stable name, block by block as efficientnet.ts and the block
// factories of @effnet/blocks apply them in evaluation mode (dropout and drop path are identities).
import type { ModelSpec } from '@effnet/scaling';
import { EffnetModelError } from '../errors.js';
import { FormBuilder, type InferenceForm, type VariableReader } from './inference-form.js';

/** What a classifier's form is read from (an EfficientNet; structural, so that efficientnet.ts can build its own form without an import cycle). */
export interface FormSource {
  readonly spec: ModelSpec;
  namedVariables(): Record<string, { shape: number[]; dataSync(): ArrayLike<number> | Uint8Array[] }>;
}

/** Reads variables of a model by name, failing clearly when it was built shape-only or disposed. */
export function variableReader(variables: Record<string, { shape: number[]; dataSync(): ArrayLike<number> | Uint8Array[] }>): VariableReader {
  return (name) => {
    const variable = variables[name];
    if (!variable) throw new EffnetModelError('model', `has no variable '${name}': it was built shape-only or disposed, or its spec does not match its variables`);
    return { shape: [...variable.shape], values: Float32Array.from(variable.dataSync() as ArrayLike<number>) };
  };
}

/**
 * Adds the stem and the blocks of `spec` under `prefix` to the form.
 *
 * @returns The output value of the stem and of every block, in order.
 */
export function addBackbone(b: FormBuilder, spec: ModelSpec, input: string, prefix: string): string[] {
  const eps = spec.batchNorm.eps;
  const act = spec.activation;
  let x = input;
  if (spec.preprocessing.kind === 'raw255') x = b.normalize(x, spec.preprocessing.mean.map((m) => m * 255), spec.preprocessing.std.map((s) => s * 255));
  x = b.activation(b.conv(x, `${prefix}stem.conv`, { stride: spec.stem.stride, bn: `${prefix}stem.bn`, eps }), act);
  const outputs = [x];
  spec.blocks.forEach((block, i) => {
    const name = `${prefix}blocks.${i}`;
    const widens = block.expandedChannels !== block.inChannels;
    const convBn = (h: string, layer: string, options: { stride?: number; depthwise?: boolean }) => b.conv(h, `${name}.${layer}.conv`, { ...options, bn: `${name}.${layer}.bn`, eps });
    const se = (h: string) => {
      if (block.seChannels === 0) return h;
      const pooled = b.globalMean(h, true);
      const hidden = b.activation(b.conv(pooled, `${name}.se.reduce`, { bias: true }), act);
      return b.binary('mul', h, b.activation(b.conv(hidden, `${name}.se.expand`, { bias: true }), 'sigmoid'));
    };
    let h = x;
    if (block.kind === 'fused-mbconv') {
      if (widens) h = b.activation(convBn(h, 'expand', { stride: block.stride }), act);
      h = se(h);
      h = widens ? convBn(h, 'project', {}) : b.activation(convBn(h, 'project', { stride: block.stride }), act);
    } else {
      if (widens && block.kind === 'mbconv') h = b.activation(convBn(h, 'expand', {}), act);
      h = b.activation(convBn(h, 'dw', { stride: block.stride, depthwise: true }), act);
      h = convBn(se(h), 'project', {});
    }
    x = block.residual ? b.binary('add', h, x) : h;
    outputs.push(x);
  });
  return outputs;
}

/**
 * The inference form of a classifier at one input size.
 *
 * @param model - The classifier (not featuresOnly).
 * @param size - Input [height, width].
 */
export function classifierForm(model: FormSource, size: [number, number]): InferenceForm {
  const spec = model.spec;
  const input = { name: 'images', shape: [size[0], size[1], spec.inChannels] as [number, number, number] };
  const b = new FormBuilder(variableReader(model.namedVariables()), spec.padding, input);
  const x = addBackbone(b, spec, input.name, '').at(-1)!;
  const head = b.activation(b.conv(x, 'head.conv', { bn: 'head.bn', eps: spec.batchNorm.eps }), spec.activation);
  const output = spec.numClasses > 0 ? 'logits' : 'features';
  const pooled = b.globalMean(head, false, spec.numClasses > 0 ? undefined : output);
  if (spec.numClasses > 0) b.linear(pooled, 'classifier', output);
  return { name: spec.name, input, outputs: [output], nodes: b.nodes, constants: b.constants };
}

// Which variables a training run updates, and with which learning rate: everything by default; for
// fine-tuning, batch norm frozen ('bn') or everything but the classifier frozen ('backbone'), and
// the classifier in a group of its own when it has its own learning rate (timm's recipes).
import type * as tf from '@tensorflow/tfjs-core';
import { EffnetTrainError } from './errors.js';
import type { FineTuneOptions } from './trainer-options.js';
import type { ModelVariables } from './trainable-model.js';

/** The variables of a run split by learning rate. */
export interface ParamGroups {
  /** Variables trained at `lr`. */
  body: tf.Variable[];
  /** Variables trained at `headLr` (empty without one). */
  head: tf.Variable[];
  /** Whether batch norm runs on its moving statistics. */
  frozenBatchNorm: boolean;
}

/** Default: the classifier is every variable named `classifier.*` (also under a scope prefix). */
export function isClassifierName(name: string): boolean {
  return name.startsWith('classifier.') || name.includes('.classifier.');
}

/** Default: batch norm's affine parameters end `bn.gamma` or `bn.beta`. */
export function isBatchNormName(name: string): boolean {
  return /(^|\.)bn\.(gamma|beta)$/.test(name);
}

/**
 * Splits a model's trainable variables by `fineTune`.
 *
 * @throws EffnetTrainError when a mode leaves nothing to train or finds no classifier.
 */
export function paramGroups(model: ModelVariables, fineTune: FineTuneOptions = {}): ParamGroups {
  const { freeze = 'none', headLr, isHead = isClassifierName, isBatchNorm = isBatchNormName } = fineTune;
  const names = new Map(Object.entries(model.namedVariables()).map(([name, v]) => [v, name] as const));
  const trainable = model.trainableVariables();
  const nameOf = (v: tf.Variable) => names.get(v) ?? v.name;
  const head = trainable.filter((v) => isHead(nameOf(v)));
  if ((freeze === 'backbone' || headLr) && head.length === 0) {
    throw new EffnetTrainError('fineTune', `no variable of the model is the classifier (names such as '${nameOf(trainable[0]!)}'); pass fineTune.isHead to say which are`);
  }
  let selected = trainable;
  if (freeze === 'bn') selected = trainable.filter((v) => !isBatchNorm(nameOf(v)));
  if (freeze === 'backbone') selected = head;
  if (selected.length === 0) throw new EffnetTrainError('fineTune.freeze', `'${freeze}' leaves no variable to train`);
  const frozenBatchNorm = freeze !== 'none';
  if (!headLr) return { body: selected, head: [], frozenBatchNorm };
  const headSet = new Set(head);
  return { body: selected.filter((v) => !headSet.has(v)), head: selected.filter((v) => headSet.has(v)), frozenBatchNorm };
}

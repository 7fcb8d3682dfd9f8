// The inference form: what a model computes in evaluation mode, as data (see inference-form.ts).
import { EfficientDet } from '../detection/efficientdet.js';
import { EfficientNet } from '../efficientnet.js';
import { EffnetModelError } from '../errors.js';
import { classifierForm } from './classifier-form.js';
import { detectorForm } from './detector-form.js';
import type { InferenceForm } from './inference-form.js';

export type { InferenceForm, NodeBase, FormNode, FormConstant, ConvNode, ActivationNode, BinaryNode, ScaleNode, NormalizeNode, MeanNode, LinearNode, MaxPoolNode, ResizeNode, AnchorRowsNode, ConcatNode } from './inference-form.js';
export { runInferenceForm } from './run-inference-form.js';

/** Options of {@link inferenceForm}. */
export interface InferenceFormOptions {
  /** Input height (default: the spec's evaluation resolution; a detector's `resolution`). */
  height?: number;
  /** Input width (default: the height). */
  width?: number;
}

function checkSide(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 8192) {
    throw new EffnetModelError(field, `must be an integer from 1 to 8192, got ${String(value)}`);
  }
  return value;
}

/**
 * The inference form of a classifier or detector at one input size: batch norms folded into the
 * convolutions, nothing left that only training uses. Exporters write it; runInferenceForm runs it.
 *
 * @param model - An EfficientNet classifier or an EfficientDet.
 * @param options - Input size.
 * @returns The form (the model keeps its variables; the form holds copies).
 * @throws EffnetModelError for a featuresOnly backbone, a disposed model or a bad size.
 */
export function inferenceForm(model: EfficientNet | EfficientDet, options: InferenceFormOptions = {}): InferenceForm {
  if (model instanceof EfficientDet) {
    const height = checkSide('height', options.height ?? model.spec.resolution);
    return detectorForm(model, [height, checkSide('width', options.width ?? height)]);
  }
  if (!(model instanceof EfficientNet)) throw new EffnetModelError('model', `expected an EfficientNet or EfficientDet, got ${String(model)}`);
  if (model.featuresOnly) throw new EffnetModelError('model', `'${model.spec.name}' was built featuresOnly (no head): export a classifier or a detector`);
  const height = checkSide('height', options.height ?? model.spec.resolution.eval);
  return classifierForm(model, [height, checkSide('width', options.width ?? height)]);
}

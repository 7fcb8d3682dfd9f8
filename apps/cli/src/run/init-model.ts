// The model a training run starts from: a new one of the preset or of a `--spec` file (seeded), or for fine-tuning
// (`--init`) a model folder written by `effnet train`/`effnet import`, or a torchvision/timm
// `.safetensors` file imported into the preset. With `--num-classes` (or when the data has
// another number of classes) the classifier is replaced by a fresh one, as timm's
// `reset_classifier` does; everything else keeps its weights and batch-norm statistics. RGB
// weights on grey data get their stem adapted as timm's `adapt_input_conv` does.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { adaptInputChannels, efficientnet, importWeights, readSafetensors, resetClassifier, type EfficientNet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { EffnetDataError } from '@effnet/train';
import { EffnetOptionError } from '../option-error.js';
import { loadModel } from './model-folder.js';
import { readSpecFile } from './spec-file.js';

/** Preset trained when neither `--preset` nor a model folder says which. */
export const DEFAULT_PRESET = 'efficientnetv2-28';

/** What the run starts from. */
export interface InitialModel {
  /** The model, with a classifier of the data's classes. */
  model: EfficientNet;
  /** Where its weights came from (for the report and model-meta). */
  source: string;
  /** Whether the classifier was replaced by a fresh one. */
  newClassifier: boolean;
}

/** Classes and input channels a torchvision or timm state dict was saved with (from its classifier and stem). */
function fileShape(bytes: Uint8Array): { numClasses?: number; inChannels?: number } {
  const tensors = readSafetensors(bytes);
  const classifier = tensors.get('classifier.1.weight') ?? tensors.get('classifier.weight');
  const stem = tensors.get('features.0.0.weight') ?? tensors.get('conv_stem.weight');
  return { ...(classifier ? { numClasses: classifier.shape[0] } : {}), ...(stem ? { inChannels: stem.shape[1] } : {}) };
}

async function loadInit(init: string, presetName: string | undefined): Promise<{ model: EfficientNet; source: string }> {
  if (!existsSync(init)) throw new EffnetOptionError('--init', `${init} does not exist: pass a model folder (effnet train or effnet import wrote it) or a torchvision/timm .safetensors file`);
  if (statSync(init).isDirectory()) {
    const { model } = await loadModel(init);
    if (presetName && presetName !== model.spec.name) {
      model.dispose();
      throw new EffnetOptionError('--preset', `is ${presetName}, but the model in ${init} is ${model.spec.name}: leave --preset out or pass ${model.spec.name}`);
    }
    return { model, source: `fine-tuned from ${init}` };
  }
  if (!init.endsWith('.safetensors')) throw new EffnetOptionError('--init', `${init} is neither a model folder nor a .safetensors file`);
  if (!presetName) throw new EffnetOptionError('--preset', `is needed with a .safetensors --init: name the architecture the file holds (e.g. efficientnet-b0)`);
  const bytes = new Uint8Array(readFileSync(init));
  const shape = fileShape(bytes);
  const model = efficientnet(preset(presetName, shape) as ModelSpec);
  try {
    const format = importWeights(model, bytes);
    return { model, source: `fine-tuned from ${format} weights ${init}` };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The loaded model for the data's channels: the stem adapted as timm's `adapt_input_conv` (RGB weights on grey images: the stem kernel summed over R, G and B). */
function adaptChannels(loaded: { model: EfficientNet; source: string }, data: { channels: number; name: string }): { model: EfficientNet; source: string } {
  const from = loaded.model.spec.inChannels;
  if (from === data.channels) return loaded;
  if (data.channels > 1 && from !== 3) {
    loaded.model.dispose();
    throw new EffnetDataError(data.name, `has ${data.channels}-channel images, but the model takes ${from} channels: only 1-channel data (any model) or RGB models (any data) can be adapted`);
  }
  try {
    return { model: adaptInputChannels(loaded.model, data.channels), source: `${loaded.source}, stem adapted from ${from} to ${data.channels} channels` };
  } finally {
    loaded.model.dispose();
  }
}

/**
 * The model a run starts from, with a classifier of `classes` outputs for `channels`-channel images.
 *
 * @throws EffnetOptionError for a `--num-classes` other than the data's, a preset that differs
 * from the model folder's, or an input that does not fit; EffnetDataError for channels that cannot be adapted; EffnetWeightsError for a file that does
 * not fit the preset.
 */
export async function initialModel(options: { init?: string; preset?: string; spec?: string; numClasses?: number; seed: number }, data: { classes: number; channels: number; name: string }): Promise<InitialModel> {
  if (options.spec && (options.preset || options.init)) {
    throw new EffnetOptionError('--spec', `cannot be combined with ${options.preset ? '--preset' : '--init'}: the spec file is the architecture; pass one of them`);
  }
  if (options.numClasses !== undefined && options.numClasses !== data.classes) {
    throw new EffnetOptionError('--num-classes', `is ${options.numClasses}, but ${data.name} has ${data.classes} classes: pass ${data.classes} (or choose them with --classes)`);
  }
  if (options.spec) {
    return { model: efficientnet(readSpecFile(options.spec, data.classes, data.channels), { seed: options.seed }), source: `trained from scratch (${options.spec})`, newClassifier: false };
  }
  if (!options.init) {
    const spec = preset(options.preset ?? DEFAULT_PRESET, { numClasses: data.classes, inChannels: data.channels }) as ModelSpec;
    return { model: efficientnet(spec, { seed: options.seed }), source: 'trained from scratch', newClassifier: false };
  }
  const loaded = await adaptChannels(await loadInit(options.init, options.preset), data);
  if (options.numClasses === undefined && loaded.model.spec.numClasses === data.classes) return { ...loaded, newClassifier: false };
  const model = resetClassifier(loaded.model, data.classes, { seed: options.seed });
  loaded.model.dispose();
  return { model, source: loaded.source, newClassifier: true };
}

// Saving and loading a model's weights through tf.io IOHandlers: `file://` in Node (file-handler.ts),
// the browser handlers of tfjs (`indexeddb://`, `localstorage://`, `downloads://`, `http(s)://`) or
// any IOHandler. The artifacts carry a manifest with the ModelSpec and a format version, and the
// weights as float32 tf.io weight specs, or with the kernels quantised (float16, uint8 per tensor
// or per channel; weights-quantized.ts) when asked. Every variable (parameters and BN statistics) is stored
// under its stable name, so a save/load round trip reproduces the logits bit for bit. Loading
// checks everything before it writes anything.
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@effnet/scaling';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { fileHandler } from './file-handler.js';
import { assertFiniteWeights } from './finite-weights.js';
import { checkQuantization, type WeightQuantization } from './quantize.js';
import { WEIGHTS_FORMAT, checkWeightSpecs, firstDifference, parseManifest, type WeightsManifest } from './weights-manifest.js';
import { decodeWeight, encodeQuantized } from './weights-quantized.js';

/** Options of {@link saveWeights}. */
export interface SaveWeightsOptions {
  /**
   * Store the kernels (conv, depthwise, linear weights) as float16 or uint8 (affine, per tensor or
   * per output channel); other variables stay float32. Default: everything float32 (bit-exact).
   */
  quantize?: WeightQuantization | null;
}

/** The `generatedBy` of the files saveWeights writes. */
const GENERATED_BY = '@effnet/models';

/** Where weights go or come from: a URL (`file://…`, `indexeddb://…`, …) or an IOHandler. */
export type WeightsLocation = string | tf.io.IOHandler;

function handlerFor(location: WeightsLocation, purpose: 'save' | 'load'): tf.io.IOHandler {
  if (typeof location !== 'string') {
    if (typeof location !== 'object' || location === null || typeof location[purpose] !== 'function') {
      throw new EffnetWeightsError('location', `expected a URL or a tf.io IOHandler with ${purpose}(), got ${String(location)}`);
    }
    return location;
  }
  if (location.startsWith('file://')) return fileHandler(location);
  const handlers = purpose === 'save' ? tf.io.getSaveHandlers(location) : tf.io.getLoadHandlers(location);
  if (handlers.length === 0) {
    throw new EffnetWeightsError('location', `no tf.io handler can ${purpose} '${location}'; use file:// (Node), indexeddb://, localstorage://, downloads:// or http(s)://, or pass an IOHandler`);
  }
  return handlers[0]!;
}

function joinData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (data instanceof ArrayBuffer) return data;
  if (!Array.isArray(data) || !data.every((b) => b instanceof ArrayBuffer)) throw new EffnetWeightsError('weights', 'weightData is neither an ArrayBuffer nor a list of them');
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/**
 * Saves every variable of `model` with a manifest holding its spec and the format version.
 *
 * @param model - The model.
 * @param location - `file://dir` in Node, a tfjs browser URL, or an IOHandler.
 * @param options - Weight quantisation (default none: float32, bit-exact round trip).
 * @returns tf.io's SaveResult.
 * @throws EffnetWeightsError when no handler fits, the model was built shape-only, or the quantisation is unknown.
 * @example
 * ```ts
 * await saveWeights(model, 'file://b0-uint8', { quantize: { dtype: 'uint8', granularity: 'channel' } });
 * ```
 */
export async function saveWeights(model: EfficientNet, location: WeightsLocation, options: SaveWeightsOptions = {}): Promise<tf.io.SaveResult> {
  const quantization = options.quantize == null ? null : checkQuantization(options.quantize);
  const handler = handlerFor(location, 'save');
  const entries = model.store.list();
  if (entries.some((e) => !e.variable)) throw new EffnetWeightsError('model', 'has no values to save: it was built shape-only or disposed');
  const named = entries.map((e) => ({ name: e.name, tensor: e.variable! as tf.Tensor }));
  const { data, specs } = quantization ? await encodeQuantized(named, quantization) : await tf.io.encodeWeights(named);
  const manifest: WeightsManifest = { format: WEIGHTS_FORMAT, formatVersion: quantization ? 2 : 1, spec: model.spec };
  return handler.save!({
    modelTopology: JSON.parse(JSON.stringify(manifest)) as object,
    weightSpecs: specs as tf.io.WeightsManifestEntry[],
    weightData: data,
    format: WEIGHTS_FORMAT,
    generatedBy: GENERATED_BY,
  });
}

async function readArtifacts(location: WeightsLocation): Promise<{ manifest: WeightsManifest; weights: ReturnType<typeof checkWeightSpecs>; data: ArrayBuffer }> {
  const handler = handlerFor(location, 'load');
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load!();
  } catch (error) {
    if (error instanceof EffnetWeightsError) throw error;
    throw new EffnetWeightsError('location', `could not load: ${(error as Error).message}`);
  }
  if (typeof artifacts !== 'object' || artifacts === null) throw new EffnetWeightsError('weights', 'the handler returned no artifacts');
  if (artifacts.format !== WEIGHTS_FORMAT) throw new EffnetWeightsError('weights', `format is ${JSON.stringify(artifacts.format)}, expected '${WEIGHTS_FORMAT}': this is not an effnet weights file`);
  if (artifacts.generatedBy !== undefined && (typeof artifacts.generatedBy !== 'string' || !artifacts.generatedBy.startsWith(GENERATED_BY))) {
    throw new EffnetWeightsError('weights', `generatedBy is ${JSON.stringify(artifacts.generatedBy)}; effnet weights files say '${GENERATED_BY}'`);
  }
  const manifest = parseManifest(artifacts.modelTopology);
  const data = joinData(artifacts.weightData);
  const weights = checkWeightSpecs(artifacts.weightSpecs, data.byteLength);
  return { manifest, weights, data };
}

function assignAll(model: EfficientNet, weights: ReturnType<typeof checkWeightSpecs>, data: ArrayBuffer): void {
  const variables = model.namedVariables();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const w of weights) {
    const target = variables[w.name];
    if (!target) {
      problems.push(`unexpected '${w.name}'`);
      continue;
    }
    seen.add(w.name);
    if (target.shape.join(',') !== w.shape.join(',')) problems.push(`'${w.name}' has shape [${w.shape.join(', ')}], the model needs [${target.shape.join(', ')}]`);
  }
  for (const name of Object.keys(variables)) if (!seen.has(name)) problems.push(`missing '${name}'`);
  if (problems.length > 0) throw new EffnetWeightsError('weights', `${problems.length} problem(s): ${problems.join('; ')}`);
  // Every weight is decoded and checked before any tensor is made: a refused file leaks nothing.
  const arrays = weights.map((w) => decodeWeight(w, data));
  weights.forEach((w, i) => assertFiniteWeights('weights', w.name, arrays[i]!));
  const values = weights.map((w, i) => [variables[w.name]!, tf.tensor(arrays[i]!, w.shape, 'float32')] as const);
  for (const [target, value] of values) {
    target.assign(value);
    value.dispose();
  }
}

/**
 * Loads weights saved by {@link saveWeights} into `model`. The manifest's spec must equal the
 * model's; every missing, unexpected or misshaped tensor is listed in one error; nothing is written
 * unless everything fits.
 *
 * @param model - A model built from the same spec.
 * @param location - `file://dir` in Node, a tfjs browser URL, or an IOHandler.
 * @throws EffnetWeightsError for a malformed, newer or foreign file, or one that does not fit the model.
 */
export async function loadWeights(model: EfficientNet, location: WeightsLocation): Promise<void> {
  const { manifest, weights, data } = await readArtifacts(location);
  const difference = firstDifference(manifest.spec, JSON.parse(JSON.stringify(model.spec)));
  if (difference) {
    throw new EffnetWeightsError('weights', `were saved for another spec ('${manifest.spec.name}'; first difference at ${difference}); build the model with loadModel(), or from the same spec`);
  }
  assignAll(model, weights, data);
}

/**
 * Builds the model a weights file describes (from the spec in its manifest) and loads its weights.
 * The spec's parameter count is checked against the data size before any variable is made.
 *
 * @param location - `file://dir` in Node, a tfjs browser URL, or an IOHandler.
 * @returns The loaded model; the caller disposes it.
 * @throws EffnetWeightsError for a malformed or foreign file, or a spec the weights do not fit.
 */
export async function loadModel(location: WeightsLocation): Promise<EfficientNet> {
  const { manifest, weights, data } = await readArtifacts(location);
  const spec: ModelSpec = manifest.spec;
  let counted: EfficientNet;
  try {
    counted = new EfficientNet(spec, { shapeOnly: true });
  } catch (error) {
    throw new EffnetWeightsError('weights manifest', `its spec cannot be built: ${(error as Error).message}`);
  }
  const needed = counted.store.countAll();
  const stored = weights.reduce((n, w) => n + w.count, 0);
  if (needed !== stored) throw new EffnetWeightsError('weights', `the spec needs ${needed} weight values, the file has ${stored}`);
  const model = new EfficientNet(spec);
  try {
    assignAll(model, weights, data);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

// toGraphModel: an EfficientNet classifier or EfficientDet as a TF.js graph model — `model.json`
// (GraphDef topology, weights manifest, signature) and 4 MiB weight shards — that
// tf.loadGraphModel runs on any tfjs backend. The input `images` is NHWC with a free batch; the
// outputs are `logits`, or `classLogits` and `boxDeltas`, in the signature's order.
import type { EfficientDet, EfficientNet, WeightQuantization } from '@effnet/models';
import { formOf } from '../onnx/to-onnx.js';
import { checkQuantizeOption } from '../quantize-option.js';
import { GraphBuilder, translateGraph } from './graph-nodes.js';

/** Options of {@link toGraphModel}. */
export interface GraphModelOptions {
  /** Input height (default: the spec's evaluation resolution). */
  height?: number;
  /** Input width (default: the height). */
  width?: number;
  /** Weight storage: float32 (default, `null`), float16, or uint8 per tensor or per channel. */
  quantize?: WeightQuantization | null;
}

/** Bytes per weight shard, as tensorflowjs_converter writes them. */
export const SHARD_BYTES = 4 * 1024 * 1024;

function tensorInfo(name: string, dims: number[]): object {
  return { name: `${name}:0`, dtype: 'DT_FLOAT', tensorShape: { dim: dims.map((size) => ({ size: String(size) })) } };
}

/**
 * The TF.js graph model of a classifier or detector: file name → bytes (`model.json` and its shards).
 *
 * @param model - An EfficientNet classifier (not featuresOnly) or an EfficientDet.
 * @param options - Input size and weight quantisation.
 * @returns The files, `model.json` first; write them into one directory.
 * @throws EffnetExportError for a model or option that cannot be exported.
 * @example
 * ```ts
 * const files = toGraphModel(efficientnet('efficientnet-b0'));
 * for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
 * const graph = await tf.loadGraphModel(`${url}/model.json`);
 * ```
 */
export function toGraphModel(model: EfficientNet | EfficientDet, options: GraphModelOptions = {}): Map<string, Uint8Array> {
  const quantization = checkQuantizeOption(options.quantize);
  const form = formOf(model, options);
  const g = new GraphBuilder(quantization);
  g.nodes.push({ name: form.input.name, op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [-1, ...form.input.shape].map((size) => ({ size: String(size) })) } } } });
  translateGraph(g, form);
  const data = new Uint8Array(g.weights.reduce((n, w) => n + w.bytes.byteLength, 0));
  let at = 0;
  for (const w of g.weights) {
    data.set(w.bytes, at);
    at += w.bytes.byteLength;
  }
  const shards = Math.max(1, Math.ceil(data.byteLength / SHARD_BYTES));
  const paths = Array.from({ length: shards }, (_, i) => `group1-shard${i + 1}of${shards}.bin`);
  const outputs = Object.fromEntries(form.outputs.map((name) => [name, tensorInfo(name, [-1, ...form.nodes.find((n) => n.output === name)!.shape])]));
  const json = {
    format: 'graph-model',
    generatedBy: '@effnet/export',
    convertedBy: '@effnet/export',
    modelTopology: { node: g.nodes, library: {}, versions: {} },
    signature: { inputs: { images: tensorInfo(form.input.name, [-1, ...form.input.shape]) }, outputs },
    userDefinedMetadata: { effnet: { model: form.name, input: 'NHWC', outputs: form.outputs } },
    weightsManifest: [{ paths, weights: g.weights.map((w) => w.spec) }],
  };
  const files = new Map<string, Uint8Array>([['model.json', new TextEncoder().encode(JSON.stringify(json))]]);
  paths.forEach((path, i) => files.set(path, data.slice(i * SHARD_BYTES, (i + 1) * SHARD_BYTES)));
  return files;
}

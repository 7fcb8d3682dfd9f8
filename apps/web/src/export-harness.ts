// The export checks of the browser harness (part of `window.effnet`): a TF.js graph model written
// by @effnet/export run with tf.loadGraphModel beside the effnet model it came from, on the same
// backend; and an ONNX file run by onnxruntime-web (wasm or webgpu execution provider), loaded
// from `ortBase` (the test serves onnxruntime-web's dist folder there).
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { useBackend, type BackendDescription } from '@effnet/backends';
import { NETWORKS } from './specs.js';
import { disposeNetwork, loadNetwork, predictLogits } from './workloads.js';

/** Logits of the graph model and of the effnet model on one backend. */
export interface GraphModelResult {
  /** The adapter's description. */
  readonly backend: BackendDescription;
  /** tf.loadGraphModel(url).execute(input). */
  readonly graph: number[];
  /** The effnet model's predict(input). */
  readonly effnet: number[];
}

/** Logits of an ONNX file in onnxruntime-web. */
export interface OnnxWebResult {
  /** onnxruntime-web's version. */
  readonly version: string;
  /** The execution provider used. */
  readonly provider: string;
  /** Logits, row-major. */
  readonly values: number[];
}

async function networkInput(name: string) {
  const entry = NETWORKS[name];
  if (entry === undefined) throw new Error(`unknown network '${name}'`);
  const response = await fetch(`/fixtures/${entry.fixture}`);
  if (!response.ok) throw new Error(`fixture ${entry.fixture}: HTTP ${response.status}`);
  return loadNetwork(entry.spec(), new Uint8Array(await response.arrayBuffer()));
}

/** The export functions on `window.effnet`. */
export const exportHarness = {
  /** Network `name` (torchvision weights) on `backend`: its graph model from `url` and the model itself. */
  async graphModelLogits(name: string, backend: string, url: string): Promise<GraphModelResult> {
    const adapter = await useBackend(backend);
    const net = await networkInput(name);
    const graph = await loadGraphModel(url);
    try {
      const out = graph.execute(net.input) as tf.Tensor;
      const values = Array.from(await out.data());
      out.dispose();
      const effnet = Array.from(await predictLogits(net.model, net.input));
      return { backend: await adapter.describe(), graph: values, effnet };
    } finally {
      graph.dispose();
      disposeNetwork(net);
    }
  },

  /** Network `name`'s fixture input (NHWC) through the ONNX file at `url` in onnxruntime-web. */
  async onnxWebLogits(name: string, url: string, ortBase: string, provider: 'wasm' | 'webgpu'): Promise<OnnxWebResult> {
    const ort = await import(/* @vite-ignore */ `${ortBase}${provider === 'webgpu' ? 'ort.webgpu.min.mjs' : 'ort.min.mjs'}`);
    ort.env.wasm.wasmPaths = ortBase;
    ort.env.wasm.numThreads = 1;
    await useBackend('cpu');
    const net = await networkInput(name);
    try {
      const session = await ort.InferenceSession.create(url, { executionProviders: [provider] });
      const feeds = { images: new ort.Tensor('float32', (await net.input.data()) as Float32Array, net.input.shape) };
      const out = await session.run(feeds);
      const values = Array.from(out['logits'].data as Float32Array);
      await session.release();
      return { version: ort.env.versions?.web ?? 'unknown', provider, values };
    } finally {
      disposeNetwork(net);
    }
  },
};

// The cold-start probe of the browser harness (part of `window.effnet`): where a network's first
// predict on a fresh page spends its time (reading the weights for the fused form, compiling
// shaders, running), under the options that can shorten it: the fused path or the modules, tfjs's
// WEBGL_USE_SHAPES_UNIFORMS (one shader per op kind rather than per shape), and reading the
// weights asynchronously first (`prepareInference`), weights already on the GPU or still on the
// CPU. Counts the webgl programs compiled.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendDescription } from '@effnet/backends';
import { NETWORKS } from './specs.js';
import { disposeNetwork, loadNetwork, predictLogits } from './workloads.js';

/** What to try on the fresh page. */
export interface ColdStartOptions {
  /** predict() through the fused form (true, the default of predict) or the modules. */
  readonly fused: boolean;
  /** Sets tfjs's WEBGL_USE_SHAPES_UNIFORMS before the first call. */
  readonly shapesUniforms: boolean;
  /** Awaits `model.prepareInference()` (asynchronous weight reads) before the first predict, timed apart. */
  readonly prepare: boolean;
  /**
   * Moves every weight to the GPU before timing (one multiply by 1 each, untimed), as importing
   * torchvision weights did while it transposed them with tf ops, and as training or a plain
   * predict leaves them: the fused form must then read them back.
   */
  readonly weightsOnGpu?: boolean;
}

/** One cold start, in milliseconds. */
export interface ColdStartResult {
  readonly backend: BackendDescription;
  readonly options: ColdStartOptions;
  /** Building the model and importing its torchvision weights (before any predict). */
  readonly loadMs: number;
  /** `prepareInference()` (null when not asked for). */
  readonly prepareMs: number | null;
  /** The first predict call, until its logits were read. */
  readonly firstMs: number;
  /** Of which the synchronous part: until predict() returned (form built, kernels dispatched, shaders compiled). */
  readonly firstDispatchMs: number;
  /** Median of the following calls. */
  readonly steadyMs: number;
  /** Webgl programs compiled by then: weights loaded, prepared, first call, steady calls (null elsewhere). */
  readonly programs: { loaded: number; prepared: number; first: number; steady: number } | null;
  /** Whether the context offers KHR_parallel_shader_compile (null off webgl). */
  readonly parallelCompile: boolean | null;
}

function webglState(): { programs: number; parallel: boolean } | null {
  if (tf.getBackend() !== 'webgl') return null;
  const backend = tf.backend() as unknown as { binaryCache: Record<string, unknown>; gpgpu: { parallelCompilationExtension: unknown } };
  return { programs: Object.keys(backend.binaryCache).length, parallel: backend.gpgpu.parallelCompilationExtension != null };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The cold-start functions on `window.effnet`. */
export const coldStartHarness = {
  /** Network `name` on `backend`, first and steady predict under `options`; call it on a fresh page. */
  async coldStart(name: string, backend: string, options: ColdStartOptions, runs = 3): Promise<ColdStartResult> {
    const entry = NETWORKS[name];
    if (entry === undefined) throw new Error(`unknown network '${name}'`);
    const description = await (await useBackend(backend)).describe();
    if (options.shapesUniforms) tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
    const response = await fetch(`/fixtures/${entry.fixture}`);
    if (!response.ok) throw new Error(`fixture ${entry.fixture}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const loadStart = performance.now();
    const net = loadNetwork(entry.spec(), bytes);
    const loadMs = performance.now() - loadStart;
    if (options.weightsOnGpu) {
      for (const v of Object.values(net.model.namedVariables())) tf.tidy(() => v.assign(tf.mul(v, 1)));
    }
    const size = net.input.shape[1];
    const image = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    try {
      const loaded = webglState();
      let start = performance.now();
      const prepareMs = options.prepare ? (await net.model.prepareInference(), performance.now() - start) : null;
      const prepared = webglState();
      start = performance.now();
      const logits = net.model.predict(image, { fused: options.fused });
      const firstDispatchMs = performance.now() - start;
      await logits.data();
      const firstMs = performance.now() - start;
      logits.dispose();
      const afterFirst = webglState();
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        start = performance.now();
        if (options.fused) await predictLogits(net.model, image);
        else {
          const y = net.model.predict(image, { fused: false });
          await y.data();
          y.dispose();
        }
        times.push(performance.now() - start);
      }
      const afterSteady = webglState();
      return {
        backend: description, options, loadMs, prepareMs, firstMs, firstDispatchMs, steadyMs: median(times),
        programs: loaded && prepared && afterFirst && afterSteady ? { loaded: loaded.programs, prepared: prepared.programs, first: afterFirst.programs, steady: afterSteady.programs } : null,
        parallelCompile: afterSteady?.parallel ?? null,
      };
    } finally {
      image.dispose();
      disposeNetwork(net);
    }
  },
};

// The browser test harness: `window.effnet`, the functions the Chromium tests and the browser
// benchmark call through playwright (page.evaluate). Each takes plain JSON and returns plain JSON
// (typed arrays as number arrays); fixtures are fetched from `/fixtures/<file>`, which the test
// serves from the repository.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getAdapter, listBackends, useBackend, type BackendDescription, type BackendListing } from '@effnet/backends';
import '@effnet/backend-cpu';
import { simdKernelsActive } from '@effnet/backend-wasm';
import '@effnet/backend-webgl';
import '@effnet/backend-webgpu';
import { coldStartHarness } from './cold-start-harness.js';
import { augmentationOutputs, type AugmentationWorkloadOptions, type BatchShape } from './augment-workload.js';
import { exportHarness } from './export-harness.js';
import { fusedHarness } from './fused-harness.js';
import { parallelHarness } from './parallel-harness.js';
import { webglKernelsHarness } from './webgl-kernels-harness.js';
import { NETWORKS } from './specs.js';
import { disposeNetwork, labelsFor, leakLoop, loadNetwork, predictLogits, snapshot, trainStep, type LeakReport } from './workloads.js';

/** Logits read back, with the backend that computed them. */
export interface LogitsResult {
  /** The adapter's description (versions, GPU). */
  readonly backend: BackendDescription;
  /** Logits shape. */
  readonly shape: number[];
  /** Logits, row-major. */
  readonly values: number[];
  /** torchvision's logits shipped with the weights. */
  readonly expected: number[];
}

/** One training step's outcome. */
export interface TrainStepResult {
  /** The loss before the step. */
  readonly loss: number;
  /** Every variable after the step, by name. */
  readonly weights: Record<string, number[]>;
  /** Whether effnet's own SIMD kernels ran the step's kernels that have them (wasm). */
  readonly simdKernels: boolean;
}

/** The augmentation workload's outputs on one backend. */
export interface AugmentResult {
  /** The adapter's description (versions, GPU). */
  readonly backend: BackendDescription;
  /** The tfjs flags that decide GPU precision (WebGL float textures and packing; empty elsewhere). */
  readonly flags: Record<string, unknown>;
  /** Every output by name, row-major. */
  readonly outputs: Record<string, number[]>;
  /** `tf.memory().numTensors` before and after the `repeats` runs of the workload. */
  readonly tensors: readonly [number, number];
}

/** tfjs flags that decide how a GPU backend stores and computes floats. */
const PRECISION_FLAGS = ['WEBGL_VERSION', 'WEBGL_RENDER_FLOAT32_ENABLED', 'WEBGL_FORCE_F16_TEXTURES', 'WEBGL_PACK', 'WEBGL_DOWNLOAD_FLOAT_ENABLED'];

/** First-call and steady-state latency of one network on one backend. */
export interface LatencyResult {
  /** The adapter's description. */
  readonly backend: BackendDescription;
  /** The warm-up call's milliseconds (null when no warm-up was run). */
  readonly warmupMs: number | null;
  /** The first predict call after loading (after the warm-up, when there was one). */
  readonly firstCallMs: number;
  /** Median of the following calls. */
  readonly steadyMedianMs: number;
  /** How many calls the median is over. */
  readonly runs: number;
}

async function fixtureBytes(file: string): Promise<Uint8Array> {
  const response = await fetch(`/fixtures/${file}`);
  if (!response.ok) throw new Error(`fixture ${file}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function networkEntry(name: string) {
  const entry = NETWORKS[name];
  if (entry === undefined) throw new Error(`unknown network '${name}'; known: ${Object.keys(NETWORKS).join(', ')}`);
  return entry;
}

async function activate(backend: string): Promise<BackendDescription> {
  const adapter = await useBackend(backend);
  return adapter.describe();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The functions on `window.effnet`. */
export const harness = {
  ...exportHarness,
  ...fusedHarness,
  ...parallelHarness,
  ...coldStartHarness,
  ...webglKernelsHarness,

  /** listBackends() of @effnet/backends with every browser plugin imported. */
  listBackends(): Promise<BackendListing[]> {
    return listBackends();
  },

  /** Activates `backend` and describes it. */
  activate,

  /** Live tensors (tf.memory().numTensors). */
  numTensors(): number {
    return tf.memory().numTensors;
  },

  /** Eval logits of network `name` with its torchvision weights, on `backend`. */
  async logits(name: string, backend: string): Promise<LogitsResult> {
    const entry = networkEntry(name);
    const description = await activate(backend);
    const net = loadNetwork(entry.spec(), await fixtureBytes(entry.fixture));
    try {
      const values = await predictLogits(net.model, net.input);
      return { backend: description, shape: [...net.expected.shape], values: Array.from(values), expected: Array.from(net.expected.values) };
    } finally {
      disposeNetwork(net);
    }
  },

  /** One SGD step of network `name` on `backend` from its torchvision weights (input resized to `size`). */
  async trainStep(name: string, backend: string, lr = 0.05, size?: number): Promise<TrainStepResult> {
    const entry = networkEntry(name);
    await activate(backend);
    const net = loadNetwork(entry.spec(), await fixtureBytes(entry.fixture), size);
    const labels = labelsFor(net.input.shape[0], net.model.spec.numClasses);
    try {
      const loss = await trainStep(net.model, net.input, labels, lr);
      const after = await snapshot(net.model);
      return { loss, weights: Object.fromEntries(Object.entries(after).map(([k, v]) => [k, Array.from(v)])), simdKernels: simdKernelsActive() };
    } finally {
      labels.dispose();
      disposeNetwork(net);
    }
  },

  /** `calls` inference calls and `steps` training steps of network `name` on `backend` (input resized to `size`), counting tensors. */
  async leaks(name: string, backend: string, calls = 100, steps = 20, size?: number): Promise<LeakReport & { outside: readonly [number, number] }> {
    const entry = networkEntry(name);
    await activate(backend);
    const bytes = await fixtureBytes(entry.fixture);
    const before = tf.memory().numTensors;
    const net = loadNetwork(entry.spec(), bytes, size);
    try {
      const report = await leakLoop(net, calls, steps);
      disposeNetwork(net);
      return { ...report, outside: [before, tf.memory().numTensors] };
    } catch (error) {
      disposeNetwork(net);
      throw error;
    }
  },

  /**
   * How wrong a synchronous read is on `backend`: x + 1 for 4,096 seeded uniform x, read once with
   * data() and then (a second computation, so nothing is cached) with dataSync(); the largest
   * |difference| (0 where synchronous reads work). Where they do not, the page's WebGPU device may
   * be lost afterwards: call it on a page of its own.
   */
  async syncReadError(backend: string): Promise<number> {
    await activate(backend);
    const x = tf.randomUniform([4096], 0, 1, 'float32', 1);
    const first = tf.add(x, 1);
    const second = tf.add(x, 1);
    try {
      const read = await second.data();
      const sync = first.dataSync();
      let worst = 0;
      for (let i = 0; i < read.length; i++) worst = Math.max(worst, Math.abs(sync[i]! - read[i]!));
      return worst;
    } finally {
      tf.dispose([x, first, second]);
    }
  },

  /**
   * The augmentation workload (src/augment-workload.ts) on `backend` for the 0-255 batch `bytes`
   * of `shape`, run `repeats` times (the last run's outputs are returned), counting tensors;
   * `options.without` leaves operations out.
   */
  async augment(bytes: number[], shape: BatchShape, backend: string, repeats = 1, options: AugmentationWorkloadOptions = {}): Promise<AugmentResult> {
    const description = await activate(backend);
    const flags = Object.fromEntries(backend === 'webgl' ? PRECISION_FLAGS.map((f) => [f, tf.env().get(f)]) : []);
    const before = tf.memory().numTensors;
    let outputs: Record<string, Float32Array | Int32Array> = {};
    for (let i = 0; i < repeats; i++) outputs = await augmentationOutputs(bytes, shape, options);
    const after = tf.memory().numTensors;
    return { backend: description, flags, outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, Array.from(v)])), tensors: [before, after] };
  },

  /**
   * Latency of network `name` at batch 1 on `backend` with random-free inputs (zeros): with
   * `warm`, `adapter.warmup(model, shape)` runs first; then the first call and `runs` more are timed.
   */
  async latency(name: string, backend: string, warm: boolean, runs = 10): Promise<LatencyResult> {
    const entry = networkEntry(name);
    const description = await activate(backend);
    const net = loadNetwork(entry.spec(), await fixtureBytes(entry.fixture));
    const size = net.input.shape[1];
    const image = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    try {
      const warmupMs = warm ? await getAdapter(backend)!.warmup(net.model, [1, size, size, 3]) : null;
      const time = async () => {
        const start = performance.now();
        await predictLogits(net.model, image);
        return performance.now() - start;
      };
      const firstCallMs = await time();
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await time());
      return { backend: description, warmupMs, firstCallMs, steadyMedianMs: median(times), runs };
    } finally {
      image.dispose();
      disposeNetwork(net);
    }
  },
};

/** The type of `window.effnet`. */
export type Harness = typeof harness;

declare global {
  interface Window {
    /** The effnet browser test harness (apps/web/src/harness.ts). */
    effnet: Harness;
  }
}

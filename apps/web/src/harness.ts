// The browser test harness: `window.effnet`, the functions the Chromium tests and the browser
// benchmark call through playwright (page.evaluate). Each takes plain JSON and returns plain JSON
// (typed arrays as number arrays); fixtures are fetched from `/fixtures/<file>`, which the test
// serves from the repository.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getAdapter, listBackends, useBackend, type BackendDescription, type BackendListing } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import '@effnet/backend-webgl';
import '@effnet/backend-webgpu';
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
}

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
      return { loss, weights: Object.fromEntries(Object.entries(after).map(([k, v]) => [k, Array.from(v)])) };
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

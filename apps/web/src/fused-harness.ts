// The fused-predict check of the browser harness (part of `window.effnet`): a network with its
// torchvision weights predicts through the fused inference form (the default) and through the
// plain modules (`{ fused: false }`) on one backend, again after a weight changes (the kept
// constants must be rebuilt), with the live tensor counts around it. `prepareInference()` reads the
// weights asynchronously first, as webgpu needs before its first fused call.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendDescription } from '@effnet/backends';
import { NETWORKS } from './specs.js';
import { disposeNetwork, loadNetwork } from './workloads.js';

/** Fused and plain logits of one network on one backend. */
export interface FusedResult {
  /** The adapter's description. */
  readonly backend: BackendDescription;
  /** Logits of predict() (fused form) and of predict(x, { fused: false }). */
  readonly fused: number[];
  readonly plain: number[];
  /** The same after `head.bn.gamma` was doubled. */
  readonly changedFused: number[];
  readonly changedPlain: number[];
  /** tf.memory().numTensors: before loading, after the first fused call, after three more calls, after dispose. */
  readonly tensors: { before: number; cached: number; steady: number; after: number };
}

/** The fused-predict functions on `window.effnet`. */
export const fusedHarness = {
  /** Network `name` on `backend`: fused against plain logits, before and after a weight change. */
  async fusedVsPlain(name: string, backend: string): Promise<FusedResult> {
    const entry = NETWORKS[name];
    if (entry === undefined) throw new Error(`unknown network '${name}'`);
    const description = await (await useBackend(backend)).describe();
    const response = await fetch(`/fixtures/${entry.fixture}`);
    if (!response.ok) throw new Error(`fixture ${entry.fixture}: HTTP ${response.status}`);
    const before = tf.memory().numTensors;
    const net = loadNetwork(entry.spec(), new Uint8Array(await response.arrayBuffer()));
    const run = async (fused: boolean) => {
      const logits = net.model.predict(net.input, { fused });
      const values = Array.from(await logits.data());
      logits.dispose();
      return values;
    };
    try {
      await net.model.prepareInference(); // webgpu builds the fused form only from weights read asynchronously
      const fused = await run(true);
      const cached = tf.memory().numTensors;
      const plain = await run(false);
      await run(true);
      const steady = tf.memory().numTensors;
      const gamma = net.model.namedVariables()['head.bn.gamma']!;
      tf.tidy(() => gamma.assign(tf.mul(gamma, 2)));
      await net.model.prepareInference();
      const changedFused = await run(true);
      const changedPlain = await run(false);
      disposeNetwork(net);
      return { backend: description, fused, plain, changedFused, changedPlain, tensors: { before, cached, steady, after: tf.memory().numTensors } };
    } catch (error) {
      disposeNetwork(net);
      throw error;
    }
  },
};

// Acceptance in Node through the adapters (useBackend): the same ModelSpec and torchvision weights
// give logits within 1e-4 on cpu and wasm for two tiny networks and for EfficientNet-B0 at 224;
// one SGD step of the tiny EfficientNetV2-style network gives the same updated weights on wasm as
// on cpu within 1e-4; 100 inference calls and 20 training steps leak no tensor on either backend;
// each adapter's warmup(model, inputShape) runs the model once and leaves nothing behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetBackendError, useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { NETWORKS } from '../src/specs.js';
import { disposeNetwork, labelsFor, leakLoop, loadNetwork, predictLogits, relativeError, snapshot, trainStep } from '../src/workloads.js';
import { fixtureBytes, fullFixturesPresent } from './fixtures.js';

const FULL = fullFixturesPresent();

async function logitsOn(backend: string, name: string): Promise<{ got: Float32Array; expected: Float32Array }> {
  await useBackend(backend);
  const net = loadNetwork(NETWORKS[name]!.spec(), fixtureBytes(name)!);
  try {
    return { got: await predictLogits(net.model, net.input), expected: net.expected.values };
  } finally {
    disposeNetwork(net);
  }
}

/** One step at 32×32 (tfjs-cpu needs 10 s for a step at 64×64, 3 s at 32×32). */
async function stepOn(backend: string, name: string): Promise<{ loss: number; before: Record<string, Float32Array>; after: Record<string, Float32Array> }> {
  await useBackend(backend);
  const net = loadNetwork(NETWORKS[name]!.spec(), fixtureBytes(name)!, 32);
  const labels = labelsFor(net.input.shape[0], net.model.spec.numClasses);
  try {
    const before = await snapshot(net.model);
    const loss = await trainStep(net.model, net.input, labels, 0.05);
    return { loss, before, after: await snapshot(net.model) };
  } finally {
    labels.dispose();
    disposeNetwork(net);
  }
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('cpu and wasm give the same logits (Node)', () => {
  it.each(['b0-narrow', 'v2-tiny'])('%s: within 1e-4 of each other and of torchvision', async (name) => {
    const cpu = await logitsOn('cpu', name);
    const wasm = await logitsOn('wasm', name);
    expect(cpu.got.length).toBe(20);
    expect(relativeError(wasm.got, cpu.got, 1)).toBeLessThan(1e-4);
    expect(relativeError(cpu.got, cpu.expected, 1)).toBeLessThan(1e-4);
    expect(relativeError(wasm.got, wasm.expected, 1)).toBeLessThan(1e-4);
  });

  it.skipIf(!FULL)('efficientnet-b0 at 224 (torchvision-seeded weights): within 1e-4', async () => {
    const cpu = await logitsOn('cpu', 'efficientnet-b0');
    const wasm = await logitsOn('wasm', 'efficientnet-b0');
    expect(cpu.got.length).toBe(2000);
    console.log(`efficientnet-b0: wasm vs cpu ${relativeError(wasm.got, cpu.got, 1).toExponential(2)}, cpu vs torchvision ${relativeError(cpu.got, cpu.expected, 1).toExponential(2)} (relative)`);
    expect(relativeError(wasm.got, cpu.got, 1)).toBeLessThan(1e-4);
    expect(relativeError(cpu.got, cpu.expected, 1)).toBeLessThan(1e-4);
  }, 300_000);
});

describe('training on wasm equals cpu (Node)', () => {
  it('one SGD step of v2-tiny (32×32): the same loss, updated weights within 1e-4, the updates themselves within 1e-3', async () => {
    const cpu = await stepOn('cpu', 'v2-tiny');
    const wasm = await stepOn('wasm', 'v2-tiny');
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, cpu.loss));
    const names = Object.keys(cpu.after);
    expect(names.length).toBeGreaterThan(50);
    let moved = 0;
    for (const name of names) {
      expect(relativeError(wasm.after[name]!, cpu.after[name]!), name).toBeLessThan(1e-4);
      const cpuDelta = cpu.after[name]!.map((v, i) => v - cpu.before[name]![i]!);
      const wasmDelta = wasm.after[name]!.map((v, i) => v - wasm.before[name]![i]!);
      if (Math.max(...cpuDelta.map(Math.abs)) > 1e-4) moved += 1;
      // The updates themselves agree (far stricter than the weights). The floor of 1e-4 is for
      // the BN betas followed by another BN in training mode: their gradient is zero in exact
      // arithmetic, so both backends give rounding noise there.
      expect(relativeError(wasmDelta, cpuDelta, 1e-4), `${name} update`).toBeLessThan(1e-3);
    }
    expect(moved).toBeGreaterThan(names.length * 0.9);
  });
});

describe.each(['cpu', 'wasm'])('no leaks on %s (Node)', (backend) => {
  it('100 inference calls and 20 training steps of v2-tiny (16×16) leave tf.memory().numTensors unchanged', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const net = loadNetwork(NETWORKS['v2-tiny']!.spec(), fixtureBytes('v2-tiny')!, 16);
    const report = await leakLoop(net, 100, 20);
    disposeNetwork(net);
    expect(report.inference[1]).toBe(report.inference[0]);
    expect(report.training[1]).toBe(report.training[0]);
    expect(report.losses[1]).toBeLessThan(report.losses[0]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe.each(['cpu', 'wasm'])('warmup(model, inputShape) on %s', (backend) => {
  it('runs the EfficientNet once on zeros, times it, frees all but the kept fused constants, and refuses a bad shape', async () => {
    const adapter = await useBackend(backend);
    const net = loadNetwork(NETWORKS['v2-tiny']!.spec(), fixtureBytes('v2-tiny')!);
    const calls: number[][] = [];
    const model = {
      predict: (x: tf.Tensor) => {
        calls.push(x.shape);
        return net.model.predict(x as tf.Tensor4D);
      },
    };
    const before = tf.memory().numTensors;
    const ms = await adapter.warmup(model, [1, 64, 64, 3]);
    expect(calls).toEqual([[1, 64, 64, 3]]);
    expect(ms).toBeGreaterThan(0);
    // What stays is predict's fused form: its folded constants, kept by the model until dispose.
    const kept = tf.memory().numTensors - before;
    expect(kept).toBeGreaterThan(0);
    await adapter.warmup(model, [1, 64, 64, 3]);
    expect(calls).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before + kept);
    await expect(adapter.warmup(net.model, [1, 64, 64])).rejects.toThrow(/expected NHWC images/);
    await expect(adapter.warmup(net.model, [1, -64, 64, 3])).rejects.toThrow(EffnetBackendError);
    expect(tf.memory().numTensors).toBe(before + kept);
    disposeNetwork(net);
  });
});

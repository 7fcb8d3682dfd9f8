// predict() through the fused inference form: the logits of the plain modules within 1e-5
// (relative) on cpu and wasm, for tiny models of every activation and padding and for B0 at a small
// resolution; the kept constants rebuilt after a weight change and after a backend change; no
// tensor left behind; fused kernels (no batch norm) in its profile.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { preset, scale, type Activation, type ModelSpec } from '@effnet/scaling';
import { TEST_BACKENDS, useBackend } from '../../test/detection-backends.js';
import { randomiseBatchNorms } from '../../test/randomise-state.js';
import { tinyDetectorSpec } from '../../test/tiny-detector.js';
import { EfficientDet } from '../detection/efficientdet.js';
import { EfficientNet } from '../efficientnet.js';

/** max |a − b| / max |b|. */
function relativeError(got: tf.Tensor, want: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]! / tf.max(tf.abs(want)).dataSync()[0]!);
}

function tiny(name: string, padding: 'same' | 'symmetric', activation?: Activation): ModelSpec {
  const spec = scale(preset(name, { numClasses: 7, padding }) as ModelSpec, { width: 0.25, depth: 0.25, resolution: 1 });
  return activation ? { ...spec, activation } : spec;
}

function model(spec: ModelSpec, seed = 5): EfficientNet {
  const m = new EfficientNet(spec, { seed });
  randomiseBatchNorms(m.store, seed);
  return m;
}

/** The fused and the plain logits of `m` on `x`, and their relative difference. */
function both(m: EfficientNet, x: tf.Tensor4D): { fused: Float32Array; plain: Float32Array; error: number } {
  const fused = m.predict(x);
  const plain = m.predict(x, { fused: false });
  const result = { fused: fused.dataSync() as Float32Array, plain: plain.dataSync() as Float32Array, error: relativeError(fused, plain) };
  tf.dispose([fused, plain]);
  return result;
}

describe.each(TEST_BACKENDS)('fused predict on %s', (backend) => {
  it.each([
    ['efficientnet-b0', 'symmetric', undefined],
    ['efficientnet-b0', 'same', undefined],
    ['efficientnetv2-s', 'symmetric', undefined],
    ['efficientnetv2-b0', 'same', 'relu'],
    ['efficientnet-b0', 'symmetric', 'relu6'],
    ['efficientnet-b0', 'same', 'gelu'],
  ] as const)('%s (%s padding, %s) gives the plain logits within 1e-5', async (name, padding, activation) => {
    await useBackend(backend);
    const m = model(tiny(name, padding, activation));
    const x = tf.randomUniform([2, 37, 41, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const { fused, error } = both(m, x);
    expect(fused.length).toBe(14);
    expect(error).toBeLessThan(1e-5);
    x.dispose();
    m.dispose();
  });

  it('B0 at 64×64 gives the plain logits within 1e-5', async () => {
    await useBackend(backend);
    const m = model(preset('efficientnet-b0', { numClasses: 10 }) as ModelSpec, 8);
    const x = tf.randomUniform([1, 64, 64, 3], -2, 2, 'float32', 4) as tf.Tensor4D;
    const { fused, error } = both(m, x);
    expect(fused.length).toBe(10);
    expect(error).toBeLessThan(1e-5);
    x.dispose();
    m.dispose();
  });

  it('rebuilds its constants after a weight change (assign, an optimiser step) and leaks nothing', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const m = model(tiny('efficientnet-b0', 'symmetric'));
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 6) as tf.Tensor4D;
    const created = tf.memory().numTensors;
    const first = both(m, x);
    const cached = tf.memory().numTensors;
    expect(cached).toBeGreaterThan(created); // the kept constants
    both(m, x);
    expect(tf.memory().numTensors).toBe(cached);

    const gamma = m.namedVariables()['head.bn.gamma']!;
    tf.tidy(() => gamma.assign(tf.mul(gamma, 3)));
    const changed = both(m, x);
    expect(changed.error).toBeLessThan(1e-5);
    expect(Math.max(...changed.fused.map((v, i) => Math.abs(v - first.fused[i]!)))).toBeGreaterThan(1e-3);
    expect(tf.memory().numTensors).toBe(cached);

    // An optimiser step (gradients given, since wasm has no backprop kernels without @effnet/backend-wasm).
    const optimizer = tf.train.sgd(0.5);
    tf.tidy(() => optimizer.applyGradients(Object.fromEntries(m.trainableVariables().map((v, i) => [v.name, tf.randomNormal(v.shape, 0, 0.05, 'float32', i)]))));
    optimizer.dispose();
    const trained = both(m, x);
    expect(trained.error).toBeLessThan(1e-5);
    expect(Math.max(...trained.fused.map((v, i) => Math.abs(v - changed.fused[i]!)))).toBeGreaterThan(1e-3);
    expect(tf.memory().numTensors).toBe(cached);

    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(created).toBeGreaterThan(before);
  });

  it('keeps its constants through a caller tf.tidy, takes int32 images and runs fused kernels only', async () => {
    await useBackend(backend);
    const m = model(tiny('efficientnet-b0', 'symmetric'));
    const x = tf.randomUniform([1, 32, 32, 3], 0, 255, 'int32', 7) as tf.Tensor4D;
    const logits = tf.tidy(() => tf.keep(m.predict(x)));
    const again = m.predict(x);
    const plain = tf.tidy(() => m.predict(tf.cast(x, 'float32') as tf.Tensor4D, { fused: false }));
    expect(relativeError(logits, again)).toBe(0);
    expect(relativeError(again, plain)).toBeLessThan(1e-5);
    const profile = await tf.profile(() => m.predict(x));
    const kernels = new Set(profile.kernelNames);
    expect(kernels.has('FusedConv2D')).toBe(true);
    expect(kernels.has('FusedDepthwiseConv2D')).toBe(true);
    expect([...kernels].filter((k) => /BatchNorm|^Conv2D$|^DepthwiseConv2dNative$/.test(k))).toEqual([]);
    tf.dispose([x, logits, again, plain, profile.result as tf.Tensor]);
    m.dispose();
  });
});

describe.each(TEST_BACKENDS)('fused EfficientDet predict on %s', (backend) => {
  it('gives the raw outputs of the modules within 1e-5, and the same detections', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const detector = new EfficientDet(tinyDetectorSpec({ numClasses: 3, resolution: 64 }), { seed: 3 });
    randomiseBatchNorms(detector.store, 6);
    const x = tf.randomUniform([2, 64, 96, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const fused = detector.predict(x);
    const plain = detector.predict(x, { fused: false });
    expect(fused.classLogits.shape).toEqual(plain.classLogits.shape);
    expect(fused.boxDeltas.shape).toEqual(plain.boxDeltas.shape);
    expect(relativeError(fused.classLogits, plain.classLogits)).toBeLessThan(1e-5);
    expect(relativeError(fused.boxDeltas, plain.boxDeltas)).toBeLessThan(1e-5);
    const pixels = tf.randomUniform([1, 64, 64, 3], 0, 255, 'float32', 8) as tf.Tensor4D;
    const options = { scoreThreshold: 0 };
    const [withFused, withPlain] = [await detector.detect(pixels, options), await detector.detect(pixels, { ...options, fused: false })];
    expect(withFused[0]!.length).toBeGreaterThan(0);
    expect(withFused[0]!.map((d) => d.classId)).toEqual(withPlain[0]!.map((d) => d.classId));
    withFused[0]!.forEach((d, i) => expect(Math.abs(d.score - withPlain[0]![i]!.score)).toBeLessThan(1e-5));
    const bad = tf.zeros([1, 60, 64, 3]) as tf.Tensor4D;
    expect(() => detector.predict(bad)).toThrow(/multiples of 32/);
    tf.dispose([bad, x, pixels, fused.classLogits, fused.boxDeltas, plain.classLogits, plain.boxDeltas]);
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('fused predict across backends', () => {
  it('gives the same logits after a backend change (cpu, then wasm)', async () => {
    await useBackend('cpu');
    const m = model(tiny('efficientnet-b0', 'same'));
    const x = tf.randomUniform([1, 33, 33, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const onCpu = m.predict(x);
    const cpuValues = onCpu.dataSync();
    onCpu.dispose();
    await useBackend('wasm');
    const onWasm = m.predict(x);
    expect(tf.getBackend()).toBe('wasm');
    const want = tf.tensor(cpuValues, onWasm.shape);
    expect(relativeError(onWasm, want)).toBeLessThan(1e-5);
    tf.dispose([onWasm, want, x]);
    m.dispose();
    await useBackend('cpu');
  });
});

// The work the cross-backend tests and benchmarks run, written once against tfjs-core and
// @effnet/models so that Node (cpu, wasm) and Chromium (webgl, webgpu, wasm) run the same code:
// build a classifier from a ModelSpec and torchvision weights, eval logits, one SGD training step
// (forward in training mode, softmax cross-entropy, tf.variableGrads, update), and the leak loop.
import * as tf from '@tensorflow/tfjs-core';
import { EfficientNet, importTorchvision, readSafetensors } from '@effnet/models';
import type { ModelSpec } from '@effnet/scaling';

/** A model with the input batch and the torchvision logits that came with its weights. */
export interface LoadedNetwork {
  /** The classifier, weights imported. */
  readonly model: EfficientNet;
  /** The fixture's input batch, NHWC. */
  readonly input: tf.Tensor4D;
  /** torchvision's eval-mode logits for `input`. */
  readonly expected: { readonly shape: number[]; readonly values: Float32Array };
}

/**
 * Builds `spec` on the current backend and imports the torchvision state dict in `bytes`. With
 * `size`, the fixture's input is resized (bilinear) to size×size, for cheaper training tests;
 * `expected` then no longer matches it.
 */
export function loadNetwork(spec: ModelSpec, bytes: Uint8Array, size?: number): LoadedNetwork {
  const tensors = readSafetensors(bytes);
  const model = new EfficientNet(spec);
  const ignore = [...tensors.keys()].filter((key) => key === 'input' || key === 'logits' || key.startsWith('feature.'));
  importTorchvision(model, bytes, { ignore });
  const input = tensors.get('input')!;
  const logits = tensors.get('logits')!;
  const nchw = tf.tensor4d(input.values, input.shape as [number, number, number, number]);
  const nhwc = tf.tidy(() => {
    const x = tf.transpose(nchw, [0, 2, 3, 1]) as tf.Tensor4D;
    return size === undefined ? x : tf.image.resizeBilinear(x, [size, size]);
  });
  nchw.dispose();
  return { model, input: nhwc, expected: { shape: logits.shape, values: logits.values } };
}

/** Frees a {@link LoadedNetwork}. */
export function disposeNetwork(net: LoadedNetwork): void {
  net.model.dispose();
  net.input.dispose();
}

/** Eval-mode logits of `images`, read back. */
export async function predictLogits(model: EfficientNet, images: tf.Tensor4D): Promise<Float32Array> {
  const logits = model.predict(images);
  try {
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}

/** Deterministic one-hot labels `[batch, classes]`: sample i gets class (3·i + 1) mod classes. */
export function labelsFor(batch: number, classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (3 * i + 1) % classes), 'int32'), classes), 'float32') as tf.Tensor2D);
}

/**
 * One SGD step: training-mode forward without dropout or drop path (so that it is the same on
 * every backend), mean softmax cross-entropy, gradients of every trainable variable, `w -= lr·g`.
 * Batch-norm moving statistics update as in training. Resolves to the loss, read asynchronously
 * (a synchronous read breaks WebGPU in Chromium).
 */
export async function trainStep(model: EfficientNet, images: tf.Tensor4D, labels: tf.Tensor2D, lr = 0.05): Promise<number> {
  const loss = tf.tidy(() => {
    const variables = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(images, { training: true, dropout: 0, dropPath: 0 });
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, variables);
    for (const v of variables) v.assign(tf.sub(v, tf.mul(grads[v.name]!, lr)));
    return value;
  });
  try {
    return (await loss.data())[0]!;
  } finally {
    loss.dispose();
  }
}

/** Every variable's values by stable name (weights and BN statistics). */
export async function snapshot(model: EfficientNet): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [name, variable] of Object.entries(model.namedVariables())) out[name] = (await variable.data()) as Float32Array;
  return out;
}

/** What {@link leakLoop} saw. */
export interface LeakReport {
  /** `tf.memory().numTensors` before and after 100 inference calls. */
  readonly inference: readonly [number, number];
  /** `tf.memory().numTensors` before and after the training steps. */
  readonly training: readonly [number, number];
  /** Loss of the first and the last training step (the steps really ran). */
  readonly losses: readonly [number, number];
}

/** Runs `calls` inference calls then `steps` training steps of `net`, counting tensors around each. */
export async function leakLoop(net: LoadedNetwork, calls = 100, steps = 20): Promise<LeakReport> {
  // One call first: predict's fused form keeps its folded constants (held until dispose), which is no leak.
  await net.model.prepareInference();
  await predictLogits(net.model, net.input);
  const a = tf.memory().numTensors;
  for (let i = 0; i < calls; i++) await predictLogits(net.model, net.input);
  const b = tf.memory().numTensors;
  const labels = labelsFor(net.input.shape[0], net.model.spec.numClasses);
  const c = tf.memory().numTensors;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(await trainStep(net.model, net.input, labels, 0.01));
  const d = tf.memory().numTensors;
  labels.dispose();
  return { inference: [a, b], training: [c, d], losses: [losses[0]!, losses.at(-1)!] };
}

/** Largest |a − b| over all elements, divided by max(`floor`, max |b|). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let scale = floor;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

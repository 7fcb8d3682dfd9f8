// Classification in the page: the backend a person picks (through @effnet/backends' adapters; wasm
// with a chosen number of threads), images decoded by the browser and prepared as `effnet
// predict` prepares them (0-1, resize, mean/std), softmax top-5 with class names, and the three
// timings: the adapter's warm-up call, the first real call after it, and the median of the next ones.
import * as tf from '@tensorflow/tfjs-core';
import { getAdapter, useBackend, type BackendDescription } from '@effnet/backends';
import { setWasmThreads } from '@effnet/backend-wasm';
import { standardPrepare, type TrainStage } from '@effnet/train';
import { decodeImageFile } from './datasets.js';
import type { LoadedModel } from './model-io.js';

/** One of the top predictions. */
export interface Prediction {
  name: string;
  probability: number;
}

/** What one classification call gives. */
export interface Classification {
  predictions: Prediction[][];
  warmupMs: number;
  firstCallMs: number;
  steadyMedianMs: number;
  backend: BackendDescription;
}

let wasmThreads: number | undefined;

/**
 * Activates `name`. For wasm, `threads` (when given) is passed to tfjs-backend-wasm's
 * thread pool (through @effnet/backend-wasm's setWasmThreads), which only counts before its first activation (and
 * only where the page is cross-origin isolated, so that SharedArrayBuffer exists).
 */
export async function activateBackend(name: string, threads?: number): Promise<BackendDescription> {
  if (name === 'wasm' && threads !== undefined && wasmThreads === undefined) {
    wasmThreads = threads;
    setWasmThreads(threads);
  }
  return (await useBackend(name)).describe();
}

function evaluationStage(imageSize: number): TrainStage {
  return { index: 0, startStep: 0, steps: 1, imageSize, dropout: 0, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 };
}

/** Classifies `files` with `loaded` on `backend` (wasm: `threads`); `runs` more calls are timed after the first. */
export async function classify(loaded: LoadedModel, files: File[], backend: string, threads?: number, runs = 5): Promise<Classification> {
  const description = await activateBackend(backend, threads);
  const { model, meta } = loaded;
  const channels = model.spec.inChannels as 1 | 3;
  const size = meta.imageSize;
  const images = new Uint8Array(files.length * size * size * channels);
  for (const [i, file] of files.entries()) images.set(await decodeImageFile(file, size, channels), i * size * size * channels);
  const prepare = standardPrepare({ numClasses: meta.classNames.length, mean: meta.mean, std: meta.std });
  const batch = { images, labels: new Int32Array(files.length), count: files.length, imageShape: [size, size, channels] as [number, number, number] };
  const call = async () => {
    const started = performance.now();
    const probs = tf.tidy(() => tf.softmax(model.forward(prepare(batch, { stage: evaluationStage(size), step: 0, seed: 0, augmentSeed: 0, training: false }).images, { training: false })));
    const values = (await probs.data()) as Float32Array;
    probs.dispose();
    return { values, ms: performance.now() - started };
  };
  const warmupMs = await getAdapter(backend)!.warmup(model, [files.length, size, size, channels]);
  const first = await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await call()).ms);
  times.sort((a, b) => a - b);
  const classes = meta.classNames.length;
  const predictions = files.map((_, r) => Array.from(first.values.subarray(r * classes, (r + 1) * classes), (probability, index) => ({ name: meta.classNames[index]!, probability, index }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, 5).map(({ name, probability }) => ({ name, probability })));
  return { predictions, warmupMs, firstCallMs: first.ms, steadyMedianMs: times[Math.floor(times.length / 2)] ?? first.ms, backend: description };
}

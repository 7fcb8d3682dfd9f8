// The onnxruntime contenders of `npm run bench`: effnet's own ONNX export of the benchmark's B0,
// run by raw onnxruntime-node as @effnet/backend-onnx makes it (NHWC input, free batch) and in
// torchvision's layout (NCHW, batch 1: the same file torchvision's exporter writes, so its time
// against torchvision's file shows what the graph itself costs), and OnnxModel.predict of
// @effnet/backend-onnx (tfjs tensor in, session, tfjs tensor out) on the first of them.
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { OnnxModel } from '@effnet/backend-onnx';
import { toOnnx } from '@effnet/export';
import type { EfficientNet } from '@effnet/models';
import { maxAbsDiff } from './bench-report.js';

/** One timed contender: its table label and a call that returns its milliseconds. */
export interface Contender {
  readonly runtime: string;
  readonly run: () => Promise<number>;
}

/** Settings every onnxruntime-node session of the benchmark gets. */
export function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Sessions on effnet's exports of `model` and an OnnxModel, each checked against `expected`
 * (PyTorch's logits of `image`) into `checks`.
 */
export async function effnetOnnxContenders(model: EfficientNet, image: tf.Tensor4D, expected: Float32Array, threads: number, checks: Record<string, number>) {
  const nhwc = image.dataSync() as Float32Array;
  const nchw = tf.tidy(() => tf.transpose(image, [0, 3, 1, 2]).dataSync() as Float32Array);
  const shipped = await ort.InferenceSession.create(toOnnx(model, { height: 224 }), sessionOptions(threads));
  const shippedFeeds = { images: new ort.Tensor('float32', nhwc, [1, 224, 224, 3]) };
  const torchLayout = await ort.InferenceSession.create(toOnnx(model, { height: 224, batch: 1, inputLayout: 'nchw' }), sessionOptions(threads));
  const torchLayoutFeeds = { images: new ort.Tensor('float32', nchw, [1, 3, 224, 224]) };
  const adapter = await OnnxModel.create(model, { height: 224, threads });
  const adapterPredict = async () => {
    const logits = await adapter.predict(image);
    const values = await logits.data();
    logits.dispose();
    return values;
  };
  checks['raw onnxruntime-node on effnet export vs PyTorch'] = maxAbsDiff((await shipped.run(shippedFeeds))['logits']!.data as Float32Array, expected);
  checks['raw onnxruntime-node on effnet export (NCHW, batch 1) vs PyTorch'] = maxAbsDiff((await torchLayout.run(torchLayoutFeeds))['logits']!.data as Float32Array, expected);
  checks['effnet backend-onnx vs PyTorch'] = maxAbsDiff(await adapterPredict(), expected);
  const contenders: Contender[] = [
    { runtime: "onnxruntime-node on effnet's export (NHWC, free batch: what OnnxModel runs)", run: () => timed(() => shipped.run(shippedFeeds)) },
    { runtime: "onnxruntime-node on effnet's export (NCHW, batch 1: torchvision's layout)", run: () => timed(() => torchLayout.run(torchLayoutFeeds)) },
    { runtime: 'effnet on @effnet/backend-onnx (OnnxModel.predict, tensors in and out)', run: () => timed(adapterPredict) },
  ];
  const release = async () => {
    await shipped.release();
    await torchLayout.release();
    await adapter.dispose();
  };
  return { contenders, release };
}

// Test helper (not published): runs an ONNX file in onnxruntime-node and measures how far its
// outputs are from effnet's.
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';

/** max |a − b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Runs `bytes` on NHWC `images` (or NCHW when `nchw`) and returns every output by name. */
export async function runOnnx(bytes: Uint8Array, images: tf.Tensor4D, nchw = false): Promise<Record<string, { dims: readonly number[]; data: Float32Array }>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  try {
    const input = nchw ? tf.tidy(() => tf.transpose(images, [0, 3, 1, 2])) : images;
    const feeds = { images: new ort.Tensor('float32', input.dataSync() as Float32Array, input.shape) };
    if (input !== images) input.dispose();
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, { dims: t.dims, data: t.data as Float32Array }]));
  } finally {
    await session.release();
  }
}

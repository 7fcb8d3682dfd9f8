// Browser entry of the WebGL check (bundled by src/webgl.test.ts with esbuild, run in Chromium):
// `window.detectorCheck(backend)` builds the tiny detector, compares its training-mode pyramid and
// outputs on `backend` with cpu's (training mode: BN batch statistics keep the maps O(1), whereas
// fresh evaluation-mode activations shrink towards 0), runs detect(), takes three Adam steps of
// EfficientDet.loss there, and reports the tensor count before the model and after its dispose.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { EfficientDet, customDetectorSpec, type LabelledBox } from '@effnet/models';

/** What the check reports. */
export interface DetectorCheckResult {
  /** Backend the work ran on. */
  backend: string;
  /** Largest |difference| of the pyramid, class logits and box deltas against cpu. */
  maxDiff: number;
  /** Mean |value| of the cpu pyramid (what the difference is measured against). */
  meanAbs: number;
  /** Detections of detect() on each image. */
  detections: number[];
  /** Loss of the three training steps. */
  losses: number[];
  /** numTensors after the model's dispose minus before it was built (0 when nothing leaked). */
  leaked: number;
}

async function detectorCheck(backend: string): Promise<DetectorCheckResult> {
  const start = tf.memory().numTensors;
  const spec = customDetectorSpec({ backboneWidth: 0.25, backboneDepth: 0.25, channels: 16, bifpnLayers: 1, headLayers: 1, maxLevel: 5, numClasses: 3, resolution: 64 });
  const model = new EfficientDet(spec, { seed: 4 });
  const images = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
  const run = async (): Promise<Float32Array> => {
    const pyramid = model.pyramid(images, { training: true, seed: 3 });
    const { classLogits, boxDeltas } = model.forward(images, { training: true, seed: 3 });
    const maps = (await Promise.all(pyramid.map((p) => p.data()))).flatMap((d) => Array.from(d));
    const values = Float32Array.from([...maps, ...(await classLogits.data()), ...(await boxDeltas.data())]);
    tf.dispose([...pyramid, classLogits, boxDeltas]);
    return values;
  };
  await tf.setBackend('cpu');
  const reference = await run();
  const meanAbs = reference.reduce((a, v) => a + Math.abs(v), 0) / reference.length;
  await tf.setBackend(backend);
  await tf.ready();
  const got = await run();
  let maxDiff = 0;
  reference.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - got[i]!))));
  const pixels = tf.tidy(() => tf.mul(images, 255)) as tf.Tensor4D;
  const detections = (await model.detect(pixels, { scoreThreshold: 0 })).map((list) => list.length);
  pixels.dispose();
  const boxes: LabelledBox[][] = [[{ box: [8, 8, 40, 40], classId: 1 }], [{ box: [20, 4, 60, 30], classId: 2 }]];
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    const value = optimizer.minimize(() => model.loss(images, boxes).total, true, model.trainableVariables())!;
    losses.push((await value.data())[0]!);
    value.dispose();
  }
  optimizer.dispose();
  images.dispose();
  // After dispose: predict()'s fused path keeps its folded constants for the model's lifetime.
  model.dispose();
  const leaked = tf.memory().numTensors - start;
  return { backend: tf.getBackend(), maxDiff, meanAbs, detections, losses, leaked };
}

(globalThis as unknown as { detectorCheck: typeof detectorCheck }).detectorCheck = detectorCheck;

// EfficientDet inference post-processing (google/automl postprocess.py): per image and per pyramid
// level keep the top-k (anchor, class) scores, decode their boxes against the anchors, run
// class-wise hard NMS (IoU 0.5) or Gaussian soft-NMS, and keep at most 100 detections. Top-k runs as a tensor op;
// the few thousand survivors are downloaded and finished in plain TypeScript.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetModelError } from '../errors.js';
import type { Anchors } from './anchors.js';
import { decodeBoxes, type Box } from './box-coding.js';
import { classWiseNms } from './nms.js';
import { classWiseSoftNms } from './soft-nms.js';

/** One detected object. */
export interface Detection {
  /** `[yMin, xMin, yMax, xMax]` in input pixels, clipped to the image. */
  box: Box;
  /** Sigmoid class probability. */
  score: number;
  /** Class id. */
  classId: number;
}

/** Settings of {@link postprocessDetections}. */
export interface PostprocessOptions {
  /** Candidates kept per level and image before NMS (default 1000). */
  topKPerLevel?: number;
  /** Candidates scoring at or below this are dropped (default 0.05). */
  scoreThreshold?: number;
  /** `hard` NMS (default) or `gaussian` soft-NMS. */
  nms?: 'hard' | 'gaussian';
  /** Hard NMS: IoU above which a box is dropped (default 0.5). */
  iouThreshold?: number;
  /** Soft-NMS: σ of the decay exp(−IoU²/σ) (default 0.5); boxes decayed below `scoreThreshold` leave. */
  softNmsSigma?: number;
  /** Most detections per image (default 100). */
  maxDetections?: number;
}

/**
 * Turns raw head outputs of a batch into detections.
 *
 * @param classLogits - `[batch, anchors, classes]` logits (not disposed).
 * @param boxDeltas - `[batch, anchors, 4]` encoded boxes (not disposed).
 * @param anchors - The anchors the outputs are laid out on.
 * @param options - Top-k, thresholds and the detection limit.
 * @returns Per image, its detections, best score first.
 * @throws EffnetModelError when the shapes do not match the anchors or a setting is out of range.
 */
export async function postprocessDetections(classLogits: tf.Tensor3D, boxDeltas: tf.Tensor3D, anchors: Anchors, options: PostprocessOptions = {}): Promise<Detection[][]> {
  const { topKPerLevel = 1000, scoreThreshold = 0.05, iouThreshold = 0.5, maxDetections = 100, nms = 'hard', softNmsSigma = 0.5 } = options;
  const [batch, count, numClasses] = classLogits.shape;
  if (count !== anchors.count || boxDeltas.shape[0] !== batch || boxDeltas.shape[1] !== count || boxDeltas.shape[2] !== 4) {
    throw new EffnetModelError(
      'postprocess',
      `outputs [${classLogits.shape.join(', ')}] and [${boxDeltas.shape.join(', ')}] do not fit ${anchors.count} anchors; expected [B, ${anchors.count}, C] and [B, ${anchors.count}, 4]`,
    );
  }
  if (nms !== 'hard' && nms !== 'gaussian') throw new EffnetModelError('nms', `must be 'hard' or 'gaussian', got '${String(nms)}'`);
  if (!(Number.isInteger(topKPerLevel) && topKPerLevel > 0 && Number.isInteger(maxDetections) && maxDetections > 0)) {
    throw new EffnetModelError('options', `topKPerLevel and maxDetections must be positive integers, got ${topKPerLevel} and ${maxDetections}`);
  }
  const levels = anchors.levelSizes.length;
  const picked = tf.tidy(() => {
    const out: { values: tf.Tensor2D; indices: tf.Tensor2D }[] = [];
    for (let l = 0; l < levels; l++) {
      const start = anchors.levelOffsets[l]!;
      const size = anchors.levelOffsets[l + 1]! - start;
      const flat = tf.reshape(tf.slice(classLogits, [0, start, 0], [batch, size, numClasses]), [batch, size * numClasses]);
      const { values, indices } = tf.topk(flat, Math.min(topKPerLevel, size * numClasses));
      out.push({ values: values as tf.Tensor2D, indices: indices as tf.Tensor2D });
    }
    return out;
  });
  let results: Detection[][];
  try {
    const deltas = await boxDeltas.data();
    const data = await Promise.all(picked.map(async ({ values, indices }) => ({ values: await values.data(), indices: await indices.data(), k: values.shape[1] })));
    results = [];
    for (let b = 0; b < batch; b++) {
      const candidateAnchors: number[] = [];
      const candidateDeltas: number[] = [];
      const scores: number[] = [];
      const classes: number[] = [];
      data.forEach(({ values, indices, k }, l) => {
        for (let i = 0; i < k; i++) {
          const score = 1 / (1 + Math.exp(-values[b * k + i]!));
          if (!(score > scoreThreshold)) continue;
          const flat = indices[b * k + i]!;
          const anchor = anchors.levelOffsets[l]! + Math.floor(flat / numClasses);
          for (let c = 0; c < 4; c++) {
            candidateAnchors.push(anchors.boxes[4 * anchor + c]!);
            candidateDeltas.push(deltas[(b * count + anchor) * 4 + c]!);
          }
          scores.push(score);
          classes.push(flat % numClasses);
        }
      });
      const boxes = decodeBoxes(candidateDeltas, candidateAnchors);
      const clip = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
      for (let i = 0; i < scores.length; i++) {
        boxes[4 * i] = clip(boxes[4 * i]!, anchors.height);
        boxes[4 * i + 1] = clip(boxes[4 * i + 1]!, anchors.width);
        boxes[4 * i + 2] = clip(boxes[4 * i + 2]!, anchors.height);
        boxes[4 * i + 3] = clip(boxes[4 * i + 3]!, anchors.width);
      }
      const kept =
        nms === 'hard'
          ? { indices: classWiseNms(boxes, scores, classes, { iouThreshold, maxOutput: maxDetections }), scores: undefined }
          : classWiseSoftNms(boxes, scores, classes, { sigma: softNmsSigma, scoreThreshold: Math.max(scoreThreshold, Number.MIN_VALUE), maxOutput: maxDetections });
      results.push(kept.indices.map((i, j) => ({ box: [boxes[4 * i]!, boxes[4 * i + 1]!, boxes[4 * i + 2]!, boxes[4 * i + 3]!], score: kept.scores?.[j] ?? scores[i]!, classId: classes[i]! })));
    }
  } finally {
    for (const { values, indices } of picked) tf.dispose([values, indices]);
  }
  return results;
}

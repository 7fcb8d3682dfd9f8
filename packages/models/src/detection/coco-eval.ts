// COCO-style average precision for boxes, as pycocotools' COCOeval computes it (area 'all', at most
// 100 detections per image, no crowd boxes): per class and IoU threshold, detections of every image
// are sorted by score, each greedily matched to the unmatched ground truth it overlaps most (IoU ≥
// threshold); precision is made monotone and read at 101 recall points 0, 0.01, …, 1. AP is the
// mean over classes that have ground truth and over the thresholds 0.5:0.05:0.95.
import { EffnetModelError } from '../errors.js';
import { iouAt, type Box } from './box-coding.js';

/** A scored box of one class (a {@link Detection} fits). */
export interface ScoredBox {
  /** `[yMin, xMin, yMax, xMax]`. */
  box: Box;
  /** Confidence. */
  score: number;
  /** Class id. */
  classId: number;
}

/** A ground-truth box of one class. */
export interface LabelledBox {
  /** `[yMin, xMin, yMax, xMax]`. */
  box: Box;
  /** Class id. */
  classId: number;
}

/** Result of {@link evaluateCoco}. */
export interface CocoMetrics {
  /** AP averaged over IoU 0.5:0.05:0.95 (COCO's headline "AP"). */
  ap: number;
  /** AP at IoU 0.5. */
  ap50: number;
  /** AP at IoU 0.75. */
  ap75: number;
  /** AP at each threshold of `iouThresholds`, in order. */
  apPerThreshold: number[];
  /** The IoU thresholds used. */
  iouThresholds: number[];
  /** AP (averaged over thresholds) of each class that has ground truth. */
  apPerClass: Map<number, number>;
}

/** numpy.linspace(start, stop, num): the same floating-point values pycocotools uses. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : start + i * step));
}

/** COCO's IoU thresholds 0.5, 0.55, …, 0.95. */
export const COCO_IOU_THRESHOLDS: readonly number[] = linspace(0.5, 0.95, 10);

/** COCO's 101 recall points 0, 0.01, …, 1. */
export const COCO_RECALL_POINTS: readonly number[] = linspace(0, 1, 101);

function flatBoxes(items: readonly { box: Box }[]): Float64Array {
  const out = new Float64Array(4 * items.length);
  items.forEach((item, i) => out.set(item.box, 4 * i));
  return out;
}

/** Interpolated AP from matches sorted by score (true = true positive) and the ground-truth count. */
function averagePrecision(matched: boolean[], numGt: number): number {
  const n = matched.length;
  const recall = new Float64Array(n);
  const precision = new Float64Array(n);
  let tp = 0;
  for (let i = 0; i < n; i++) {
    if (matched[i]) tp++;
    recall[i] = tp / numGt;
    precision[i] = tp / (i + 1 + Number.EPSILON);
  }
  for (let i = n - 1; i > 0; i--) if (precision[i]! > precision[i - 1]!) precision[i - 1] = precision[i]!;
  let sum = 0;
  for (const r of COCO_RECALL_POINTS) {
    // numpy.searchsorted(recall, r, side='left'): the first index with recall ≥ r.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (recall[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    if (lo < n) sum += precision[lo]!;
  }
  return sum / COCO_RECALL_POINTS.length;
}

/**
 * COCO box AP of detections against ground truth, image by image.
 *
 * @param detections - Per image, its detections.
 * @param groundTruth - Per image, its labelled boxes (same image order).
 * @param options - `maxDetections` per image (default 100) and the IoU thresholds (default COCO's).
 * @returns AP@[.5:.95], AP50, AP75 and their parts; NaN when no class has ground truth.
 * @throws EffnetModelError when the image counts differ.
 */
export function evaluateCoco(
  detections: readonly (readonly ScoredBox[])[],
  groundTruth: readonly (readonly LabelledBox[])[],
  options: { maxDetections?: number; iouThresholds?: readonly number[] } = {},
): CocoMetrics {
  const { maxDetections = 100, iouThresholds = COCO_IOU_THRESHOLDS } = options;
  if (detections.length !== groundTruth.length) {
    throw new EffnetModelError('detections', `need one detection list per image: ${detections.length} detection lists, ${groundTruth.length} ground-truth lists`);
  }
  const classes = [...new Set(groundTruth.flatMap((image) => image.map((g) => g.classId)))].sort((a, b) => a - b);
  // perThreshold[t][class] = AP.
  const perThreshold = iouThresholds.map(() => new Map<number, number>());
  for (const classId of classes) {
    let numGt = 0;
    // For each threshold, every detection of this class over all images: score and match.
    const pooled = iouThresholds.map(() => [] as { score: number; tp: boolean }[]);
    detections.forEach((imageDets, img) => {
      const gts = groundTruth[img]!.filter((g) => g.classId === classId);
      numGt += gts.length;
      const dets = imageDets
        .map((d, order) => ({ d, order }))
        .filter(({ d }) => d.classId === classId)
        .sort((a, b) => b.d.score - a.d.score || a.order - b.order)
        .slice(0, maxDetections)
        .map(({ d }) => d);
      const gtFlat = flatBoxes(gts);
      const detFlat = flatBoxes(dets);
      iouThresholds.forEach((threshold, t) => {
        const taken = new Array<boolean>(gts.length).fill(false);
        for (let d = 0; d < dets.length; d++) {
          let best = Math.min(threshold, 1 - 1e-10);
          let match = -1;
          for (let g = 0; g < gts.length; g++) {
            if (taken[g]) continue;
            const overlap = iouAt(detFlat, d, gtFlat, g);
            if (overlap < best) continue;
            best = overlap;
            match = g;
          }
          if (match >= 0) taken[match] = true;
          pooled[t]!.push({ score: dets[d]!.score, tp: match >= 0 });
        }
      });
    });
    iouThresholds.forEach((_, t) => {
      // Stable sort by descending score (pycocotools uses a mergesort), images in order.
      const sorted = pooled[t]!.map((p, i) => ({ ...p, i })).sort((a, b) => b.score - a.score || a.i - b.i);
      perThreshold[t]!.set(classId, averagePrecision(sorted.map((p) => p.tp), numGt));
    });
  }
  const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
  const apPerThreshold = perThreshold.map((byClass) => mean([...byClass.values()]));
  const apPerClass = new Map(classes.map((c) => [c, mean(perThreshold.map((byClass) => byClass.get(c)!))]));
  const at = (value: number): number => {
    const index = iouThresholds.findIndex((t) => Math.abs(t - value) < 1e-9);
    return index >= 0 ? apPerThreshold[index]! : NaN;
  };
  return { ap: mean(apPerThreshold), ap50: at(0.5), ap75: at(0.75), apPerThreshold, iouThresholds: [...iouThresholds], apPerClass };
}

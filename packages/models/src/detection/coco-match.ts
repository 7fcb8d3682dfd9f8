// One image and one category of COCO box evaluation, step for step as pycocotools' COCOeval
// (computeIoU, evaluateImg): detections sorted by score (stable), cut to the largest maxDets;
// ground truth outside the area range or crowd is "ignored" and sorted last (stable); at each IoU
// threshold every detection takes the best still-free box (crowd boxes stay free, equal IoU takes
// the later box, a match on an ignored box is only taken when no regular box matched first);
// detections matched to ignored boxes, or unmatched and outside the area range, are ignored.

/** A ground-truth box in COCO's terms: `bbox` is `[x, y, width, height]`. */
export interface CocoGroundTruthBox {
  /** Image id. */
  imageId: number;
  /** Category id. */
  categoryId: number;
  /** `[x, y, width, height]` in pixels. */
  bbox: readonly [number, number, number, number];
  /** Area used for the small/medium/large ranges (COCO's `area`: the segment's, not the box's). */
  area: number;
  /** A crowd region: matches any number of detections, which are then ignored. */
  iscrowd: boolean;
}

/** A detection in COCO's results format: `bbox` is `[x, y, width, height]`. */
export interface CocoDetectionBox {
  /** Image id. */
  imageId: number;
  /** Category id. */
  categoryId: number;
  /** `[x, y, width, height]` in pixels. */
  bbox: readonly [number, number, number, number];
  /** Confidence. */
  score: number;
}

/** What one image and category contribute to the accumulation, at one area range. */
export interface ImageMatches {
  /** Scores of the kept detections, best first. */
  scores: number[];
  /** Per IoU threshold, per detection: matched to a ground-truth box. */
  matched: Uint8Array[];
  /** Per IoU threshold, per detection: left out of precision and recall. */
  ignored: Uint8Array[];
  /** Ground-truth boxes that count (not crowd, area inside the range). */
  countedGroundTruth: number;
}

/** IoU of detection `d` with box `g` as pycocotools' bbIou computes it (crowd: over the detection's area). */
export function cocoIou(d: CocoDetectionBox['bbox'], g: CocoGroundTruthBox['bbox'], crowd: boolean): number {
  const w = Math.min(d[2] + d[0], g[2] + g[0]) - Math.max(d[0], g[0]);
  if (w <= 0) return 0;
  const h = Math.min(d[3] + d[1], g[3] + g[1]) - Math.max(d[1], g[1]);
  if (h <= 0) return 0;
  const inter = w * h;
  const detArea = d[2] * d[3];
  return inter / (crowd ? detArea : detArea + g[2] * g[3] - inter);
}

/** Indices of `values` in stable ascending order of `key`. */
function stableOrder<T>(values: readonly T[], key: (v: T) => number): number[] {
  return values.map((_, i) => i).sort((a, b) => key(values[a]!) - key(values[b]!) || a - b);
}

/** Detections of one image and category, best score first (stable), at most `maxDetections`. */
export function sortDetections(detections: readonly CocoDetectionBox[], maxDetections: number): CocoDetectionBox[] {
  return stableOrder(detections, (d) => -d.score)
    .slice(0, maxDetections)
    .map((i) => detections[i]!);
}

/**
 * Matches one image's detections of one category to its ground truth at every IoU threshold.
 *
 * @param groundTruth - The image's boxes of the category, in annotation order.
 * @param detections - Its detections of the category, sorted by {@link sortDetections}.
 * @param areaRange - `[min, max]` area, both ends included.
 * @param iouThresholds - The thresholds.
 * @returns Undefined when there is neither ground truth nor a detection (pycocotools' None).
 */
export function matchImage(
  groundTruth: readonly CocoGroundTruthBox[],
  detections: readonly CocoDetectionBox[],
  areaRange: readonly [number, number],
  iouThresholds: readonly number[],
): ImageMatches | undefined {
  if (groundTruth.length === 0 && detections.length === 0) return undefined;
  const outside = (area: number): boolean => area < areaRange[0] || area > areaRange[1];
  const gtIgnoredAll = groundTruth.map((g) => (g.iscrowd || outside(g.area) ? 1 : 0));
  const gts = stableOrder(gtIgnoredAll, (v) => v).map((i) => ({ box: groundTruth[i]!, ignored: gtIgnoredAll[i]! }));
  const ious = detections.map((d) => gts.map((g) => cocoIou(d.bbox, g.box.bbox, g.box.iscrowd)));
  const detOutside = detections.map((d) => outside(d.bbox[2] * d.bbox[3]));
  const matched: Uint8Array[] = [];
  const ignored: Uint8Array[] = [];
  for (const threshold of iouThresholds) {
    const gtTaken = new Uint8Array(gts.length);
    const dtMatched = new Uint8Array(detections.length);
    const dtIgnored = new Uint8Array(detections.length);
    for (let d = 0; d < detections.length; d++) {
      let best = Math.min(threshold, 1 - 1e-10);
      let m = -1;
      for (let g = 0; g < gts.length; g++) {
        if (gtTaken[g] && !gts[g]!.box.iscrowd) continue;
        if (m > -1 && gts[m]!.ignored === 0 && gts[g]!.ignored === 1) break;
        if (ious[d]![g]! < best) continue;
        best = ious[d]![g]!;
        m = g;
      }
      if (m === -1) {
        dtIgnored[d] = detOutside[d] ? 1 : 0;
        continue;
      }
      dtIgnored[d] = gts[m]!.ignored;
      dtMatched[d] = 1;
      gtTaken[m] = 1;
    }
    matched.push(dtMatched);
    ignored.push(dtIgnored);
  }
  return { scores: detections.map((d) => d.score), matched, ignored, countedGroundTruth: gtIgnoredAll.filter((v) => v === 0).length };
}

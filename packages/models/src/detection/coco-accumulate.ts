// The accumulation and summary of COCO box evaluation, as pycocotools' COCOeval.accumulate and
// summarize: per category, area range and maxDets, every image's first maxDets detections pooled
// and sorted by score (stable, images in id order), cumulative true and false positives (ignored
// detections count as neither), precision made monotone and read at the 101 recall points, recall
// the last point; the twelve numbers are means over the entries that are not −1 (pycocotools'
// "no ground truth" marker).
import type { ImageMatches } from './coco-match.js';

/** The twelve numbers of pycocotools' `COCOeval.stats`, by name (−1 where nothing could be measured). */
export interface CocoSummary {
  /** AP at IoU 0.5:0.05:0.95, all areas, 100 detections. */
  ap: number;
  /** AP at IoU 0.5. */
  ap50: number;
  /** AP at IoU 0.75. */
  ap75: number;
  /** AP of small objects (area ≤ 32²). */
  apSmall: number;
  /** AP of medium objects (32² … 96²). */
  apMedium: number;
  /** AP of large objects (≥ 96²). */
  apLarge: number;
  /** Recall with 1 detection per image. */
  ar1: number;
  /** Recall with 10 detections per image. */
  ar10: number;
  /** Recall with 100 detections per image. */
  ar100: number;
  /** Recall of small objects. */
  arSmall: number;
  /** Recall of medium objects. */
  arMedium: number;
  /** Recall of large objects. */
  arLarge: number;
}

/** The order of `COCOeval.stats`. */
export const COCO_SUMMARY_KEYS: readonly (keyof CocoSummary)[] = ['ap', 'ap50', 'ap75', 'apSmall', 'apMedium', 'apLarge', 'ar1', 'ar10', 'ar100', 'arSmall', 'arMedium', 'arLarge'];

/** Precision and recall tables of an evaluation (pycocotools' `eval['precision']` and `eval['recall']`). */
export interface CocoTables {
  /** Sizes: thresholds T, recall points R, categories K, area ranges A, maxDets M. */
  dims: { T: number; R: number; K: number; A: number; M: number };
  /** `[T, R, K, A, M]` row-major; −1 where a category has no counted ground truth. */
  precision: Float64Array;
  /** `[T, K, A, M]` row-major; −1 likewise. */
  recall: Float64Array;
}

/**
 * Accumulates matches into precision and recall tables.
 *
 * @param matches - `matches[k][a][i]`: category k, area range a, image i (images in id order).
 */
export function accumulate(matches: readonly (readonly (readonly (ImageMatches | undefined)[])[])[], maxDetections: readonly number[], thresholds: number, recallPoints: readonly number[]): CocoTables {
  const K = matches.length;
  const A = K ? matches[0]!.length : 0;
  const T = thresholds;
  const R = recallPoints.length;
  const M = maxDetections.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const images = matches[k]![a]!.filter((e): e is ImageMatches => e !== undefined);
      if (images.length === 0) continue;
      const counted = images.reduce((sum, e) => sum + e.countedGroundTruth, 0);
      if (counted === 0) continue;
      maxDetections.forEach((maxDet, m) => {
        const pooled: { score: number; image: number; index: number }[] = [];
        images.forEach((e, image) => {
          for (let index = 0; index < Math.min(maxDet, e.scores.length); index++) pooled.push({ score: e.scores[index]!, image, index });
        });
        // Stable: equal scores keep image order, then rank order within the image.
        pooled.sort((x, y) => y.score - x.score);
        for (let t = 0; t < T; t++) {
          const n = pooled.length;
          const rc = new Float64Array(n);
          const pr = new Float64Array(n);
          let tp = 0;
          let fp = 0;
          pooled.forEach(({ image, index }, i) => {
            const e = images[image]!;
            if (!e.ignored[t]![index]) {
              if (e.matched[t]![index]) tp++;
              else fp++;
            }
            rc[i] = tp / counted;
            pr[i] = tp / (fp + tp + Number.EPSILON);
          });
          recall[((t * K + k) * A + a) * M + m] = n ? rc[n - 1]! : 0;
          for (let i = n - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
          let lo = 0;
          recallPoints.forEach((point, r) => {
            // numpy.searchsorted(rc, point, 'left'); points beyond the last recall read 0.
            while (lo < n && rc[lo]! < point) lo++;
            precision[(((t * R + r) * K + k) * A + a) * M + m] = lo < n ? pr[lo]! : 0;
          });
        }
      });
    }
  }
  return { dims: { T, R, K, A, M }, precision, recall };
}

/** Mean of the entries that are not −1; −1 when there are none (pycocotools' `_summarize`). */
function meanMeasured(values: number[]): number {
  const kept = values.filter((v) => v > -1);
  return kept.length ? kept.reduce((s, v) => s + v, 0) / kept.length : -1;
}

/**
 * One number of the summary.
 *
 * @param tables - The accumulated tables.
 * @param kind - `precision` (AP) or `recall` (AR).
 * @param select - The threshold index (all when undefined), area index and maxDets index.
 */
export function summarise(tables: CocoTables, kind: 'precision' | 'recall', select: { t?: number; a: number; m: number; k?: number }): number {
  const { T, R, K, A, M } = tables.dims;
  const values: number[] = [];
  for (let t = 0; t < T; t++) {
    if (select.t !== undefined && t !== select.t) continue;
    for (let k = 0; k < K; k++) {
      if (select.k !== undefined && k !== select.k) continue;
      if (kind === 'recall') values.push(tables.recall[((t * K + k) * A + select.a) * M + select.m]!);
      else for (let r = 0; r < R; r++) values.push(tables.precision[(((t * R + r) * K + k) * A + select.a) * M + select.m]!);
    }
  }
  return meanMeasured(values);
}

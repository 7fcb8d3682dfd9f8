// A detector evaluated on a COCO folder: detections on every image (at the detector's input size,
// mapped back to original pixels), written as COCO results, and scored against the folder's own
// annotations (crowd regions and `area` included) by @effnet/models' pycocotools-equal evaluator.
import * as tf from '@tensorflow/tfjs-core';
import { evaluateCocoDetections, type CocoEvaluation, type Detection, type EfficientDet, type PostprocessOptions } from '@effnet/models';
import { toCocoResults, type CocoCategory, type CocoFolder, type CocoResult } from '@effnet/data';
import { EffnetDataError } from '@effnet/train';
import type { DetectionReportImage } from '../report/detection-report.js';
import { BOX_COLOURS, drawBox } from './draw-boxes.js';
import { encodePng } from '@effnet/data';
import type { ProgressBar } from './progress.js';

/** What {@link evaluateDetector} gives. */
export interface DetectorEvaluation {
  /** The twelve COCO numbers, per-category AP and the precision tables. */
  evaluation: CocoEvaluation;
  /** The detections in COCO's results format (original pixels). */
  results: CocoResult[];
  /** Per image, its detections in the detector's pixels (for drawing). */
  detections: Detection[][];
}

/**
 * The COCO categories a detector's classes stand for: its saved category ids, or else the folder's
 * categories matched by name.
 *
 * @throws EffnetDataError when a class has no category in the folder.
 */
export function classCategories(classes: readonly string[], categoryIds: readonly number[] | undefined, folder: CocoFolder): CocoCategory[] {
  const { categories } = folder.annotations;
  return classes.map((name, c) => {
    const found = categoryIds ? categories.find((k) => k.id === categoryIds[c]) : categories.find((k) => k.name === name);
    if (!found) {
      throw new EffnetDataError(folder.annotationsFile, `the detector's class ${c} ('${name}'${categoryIds ? `, category id ${categoryIds[c]}` : ''}) is not a category of this set (${categories.map((k) => `${k.id} ${k.name}`).slice(0, 6).join(', ')}…); evaluate on data with the detector's categories`);
    }
    return found;
  });
}

/**
 * Runs the detector over a COCO folder and evaluates it.
 *
 * @param model - The detector (its input size must be the folder's image size).
 * @param folder - The folder, read at the detector's size.
 * @param categories - The category of each class (see {@link classCategories}).
 * @param options - Batch size, the lowest score kept and the NMS settings; `bar` shows progress.
 */
export async function evaluateDetector(
  model: EfficientDet,
  folder: CocoFolder,
  categories: readonly CocoCategory[],
  options: { batchSize: number; minScore: number; bar?: ProgressBar } & Pick<PostprocessOptions, 'nms' | 'softNmsSigma' | 'iouThreshold'>,
): Promise<DetectorEvaluation> {
  const { dataset, annotations, scales } = folder;
  const [h, w, c] = dataset.imageShape;
  const detections: Detection[][] = [];
  for (let start = 0; start < dataset.size; start += options.batchSize) {
    const count = Math.min(options.batchSize, dataset.size - start);
    const data = new Float32Array(count * h * w * c);
    for (let i = 0; i < count; i++) data.set(dataset.example(start + i).image, i * h * w * c);
    const pixels = tf.tensor4d(data, [count, h, w, c]);
    try {
      detections.push(...(await model.detect(pixels, { scoreThreshold: options.minScore, nms: options.nms, softNmsSigma: options.softNmsSigma, iouThreshold: options.iouThreshold })));
    } finally {
      pixels.dispose();
    }
    options.bar?.update(start + count);
  }
  const results = toCocoResults(detections, annotations.images.map((i) => i.id), categories, scales);
  const evaluation = evaluateCocoDetections({
    imageIds: annotations.images.map((i) => i.id),
    categoryIds: annotations.categories.map((k) => k.id),
    groundTruth: annotations.annotations,
    detections: results,
  });
  return { evaluation, results, detections };
}

/**
 * The first `count` images of the folder at the detector's size, ground truth drawn in white and
 * detections scoring at least `minScore` in class colours, as PNGs for the report.
 */
export async function drawnImages(folder: CocoFolder, detections: readonly Detection[][], classes: readonly string[], count: number, minScore = 0.3): Promise<DetectionReportImage[]> {
  const { dataset, annotations } = folder;
  const [h, w] = dataset.imageShape;
  const out: DetectionReportImage[] = [];
  for (let i = 0; i < Math.min(count, dataset.size); i++) {
    const { image, boxes } = dataset.example(i);
    const rgb = new Uint8Array(image);
    for (const b of boxes) drawBox(rgb, w, h, b.box, [255, 255, 255], 1);
    const shown = (detections[i] ?? []).filter((d) => d.score >= minScore);
    for (const d of shown) drawBox(rgb, w, h, d.box, BOX_COLOURS[d.classId % BOX_COLOURS.length]!, 1);
    const labels = shown.map((d) => `${classes[d.classId] ?? d.classId} ${d.score.toFixed(2)}`).join(', ');
    out.push({ png: await encodePng(rgb, w, h, 3), caption: `${annotations.images[i]!.fileName}: ${boxes.length} true, ${shown.length} found${labels ? ` (${labels})` : ''}` });
  }
  return out;
}

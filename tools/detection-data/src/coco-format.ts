// Generated detection samples written as a COCO-format folder: `instances.json` (COCO's instances
// format: images, categories 1…K, annotations with xywh `bbox`, `area` = box area, `iscrowd` 0) and
// `images/NNNNNN.png`, the layout `effnet detect train|eval` and @effnet/train's cocoFolder read;
// and such folders read back as samples for the training run of train-detector.ts.
// Every file is written atomically (temporary name, then rename).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cocoFolder, toCocoJson, type CocoAnnotations } from '@effnet/data';
import sharp from 'sharp';
import writeFileAtomic from 'write-file-atomic';
import type { DetectionSample } from './generate.js';

/**
 * The COCO annotations of square samples: image ids 1…N (file `images/NNNNNN.png`), category ids
 * 1…K in `classes` order.
 */
export function cocoAnnotationsOf(samples: readonly DetectionSample[], classes: readonly string[], size: number): CocoAnnotations {
  let id = 0;
  return {
    images: samples.map((_, i) => ({ id: i + 1, fileName: `${String(i).padStart(6, '0')}.png`, width: size, height: size })),
    categories: classes.map((name, c) => ({ id: c + 1, name })),
    annotations: samples.flatMap((sample, i) =>
      sample.boxes.map(({ box: [y0, x0, y1, x1], classId }) => ({ id: ++id, imageId: i + 1, categoryId: classId + 1, bbox: [x0, y0, x1 - x0, y1 - y0] as [number, number, number, number], area: (x1 - x0) * (y1 - y0), iscrowd: false })),
    ),
  };
}

/**
 * Writes samples as a COCO-format folder.
 *
 * @param folder - Created if missing.
 * @param samples - Square RGB samples of side `size`.
 * @param classes - Class names, indexed by the samples' class ids.
 * @param size - Image side.
 * @returns The annotations written.
 */
export async function writeCocoDetectionSet(folder: string, samples: readonly DetectionSample[], classes: readonly string[], size: number, description = 'effnet shapes on photographs'): Promise<CocoAnnotations> {
  await mkdir(join(folder, 'images'), { recursive: true });
  const annotations = cocoAnnotationsOf(samples, classes, size);
  for (const [i, sample] of samples.entries()) {
    const png = await sharp(Buffer.from(sample.pixels), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
    await writeFileAtomic(join(folder, 'images', annotations.images[i]!.fileName), png);
  }
  await writeFileAtomic(join(folder, 'instances.json'), `${JSON.stringify(toCocoJson(annotations, { description }))}\n`);
  return annotations;
}

/**
 * Reads a COCO-format folder as training samples of `size`×`size` (images stretched, boxes scaled,
 * crowd regions left out), with the class names in category-id order.
 */
export async function loadCocoSamples(folder: string, size: number): Promise<{ classes: string[]; samples: DetectionSample[] }> {
  const { dataset } = await cocoFolder(folder, size);
  const samples = Array.from({ length: dataset.size }, (_, i): DetectionSample => {
    const { image, boxes } = dataset.example(i);
    return { pixels: image, boxes: boxes.map((b) => ({ box: [...b.box], classId: b.classId })) };
  });
  return { classes: [...dataset.classNames], samples };
}

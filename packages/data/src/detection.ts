// Detection data for the Trainer: images with labelled boxes, as plain bytes (no tensors), read
// from an `effnet-detection` folder (detection-format.ts). Batches carry each image's boxes instead
// of one label, so a detector's `prepare` and `loss` hooks match them to anchors.
import { join } from 'node:path';
import { EffnetDataError, batchOrder, type BatchOptions, type BatchSource } from '@effnet/train';
import { readDetectionSet, type DetectionBox } from './detection-format.js';

/** A batch of detection examples: NHWC uint8 images and, per image, its boxes. */
export interface DetectionBatch {
  /** `count · height · width · channels` bytes, 0-255. */
  images: Uint8Array;
  /** Per image, its objects. */
  boxes: DetectionBox[][];
  /** Number of examples in the batch. */
  count: number;
  /** `[height, width, channels]` of every image. */
  imageShape: [number, number, number];
}

/** Options of {@link DetectionDataset}. */
export interface DetectionDatasetOptions {
  /** Short name, e.g. `shapes/train`. */
  name: string;
  /** Per example, its `height · width · channels` bytes. */
  images: readonly Uint8Array[];
  /** Per example, its boxes (an empty list for an image without objects). */
  boxes: readonly (readonly DetectionBox[])[];
  /** `[height, width, channels]` of every image. */
  imageShape: [number, number, number];
  /** Class names, indexed by `classId`. */
  classNames: readonly string[];
}

/** A detection data set held in memory; the Trainer iterates it like a classification Dataset. */
export class DetectionDataset implements BatchSource<DetectionBatch> {
  /** Short name. */
  readonly name: string;
  /** Number of images. */
  readonly size: number;
  /** `[height, width, channels]` of every image. */
  readonly imageShape: [number, number, number];
  /** Class names, indexed by `classId`. */
  readonly classNames: readonly string[];
  private readonly images: readonly Uint8Array[];
  private readonly boxes: readonly (readonly DetectionBox[])[];

  /**
   * Checks that every image has the shape's bytes and every box lies inside its image with a known class.
   *
   * @throws EffnetDataError naming the first bad example.
   */
  constructor(options: DetectionDatasetOptions) {
    const { name, images, boxes, imageShape, classNames } = options;
    const [h, w, c] = imageShape;
    if (images.length !== boxes.length) throw new EffnetDataError(name, `${images.length} images but ${boxes.length} box lists; give one list per image`);
    if (classNames.length === 0) throw new EffnetDataError(name, 'needs at least one class name');
    images.forEach((image, i) => {
      if (image.length !== h * w * c) throw new EffnetDataError(name, `image ${i} has ${image.length} bytes, not ${h}×${w}×${c}; resize every image to the data set's shape`);
      boxes[i]!.forEach((b, j) => {
        const [y0, x0, y1, x1] = b.box;
        if (!(y0 >= 0 && x0 >= 0 && y0 < y1 && x0 < x1 && y1 <= h && x1 <= w)) {
          throw new EffnetDataError(name, `image ${i} box ${j} [${b.box.join(', ')}] must satisfy 0 ≤ yMin < yMax ≤ ${h} and 0 ≤ xMin < xMax ≤ ${w} (boxes are [yMin, xMin, yMax, xMax] pixels)`);
        }
        if (!Number.isInteger(b.classId) || b.classId < 0 || b.classId >= classNames.length) {
          throw new EffnetDataError(name, `image ${i} box ${j} has classId ${b.classId}; class ids index ${classNames.length} class names (0…${classNames.length - 1})`);
        }
      });
    });
    this.name = name;
    this.images = images;
    this.boxes = boxes;
    this.imageShape = imageShape;
    this.classNames = classNames;
    this.size = images.length;
  }

  /** The example at `index`: its bytes (a view) and its boxes. */
  example(index: number): { image: Uint8Array; boxes: readonly DetectionBox[] } {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new EffnetDataError(this.name, `example index ${index} is outside 0…${this.size - 1}`);
    return { image: this.images[index]!, boxes: this.boxes[index]! };
  }

  /** Iterates over the images in batches (seeded order with `seed`; boxes are copied per batch). */
  async *batches(options: BatchOptions): AsyncIterable<DetectionBatch> {
    const order = batchOrder(this.name, this.size, options);
    const { batchSize, dropLast = false } = options;
    const [h, w, c] = this.imageShape;
    for (let start = 0; start < this.size; start += batchSize) {
      const count = Math.min(batchSize, this.size - start);
      if (dropLast && count < batchSize) return;
      const images = new Uint8Array(count * h * w * c);
      const boxes: DetectionBox[][] = [];
      for (let i = 0; i < count; i++) {
        const example = this.example(order[start + i]!);
        images.set(example.image, i * h * w * c);
        boxes.push(example.boxes.map((b) => ({ box: [...b.box], classId: b.classId })));
      }
      yield { images, boxes, count, imageShape: this.imageShape };
    }
  }
}

/**
 * Reads an `effnet-detection` folder (see detection-format.ts) as a {@link DetectionDataset}. Every
 * image must have one size (boxes are in their pixels; resize images and boxes together beforehand).
 *
 * @param folder - The data set folder.
 * @returns An in-memory {@link DetectionDataset} named after the folder.
 * @throws EffnetDataError for unreadable or malformed annotations, an image of another size, or a bad box.
 */
export async function detectionFolder(folder: string): Promise<DetectionDataset> {
  const { annotations, pixels } = await readDetectionSet(folder);
  const first = annotations.images[0];
  if (!first) throw new EffnetDataError(join(folder, 'annotations.json'), 'images must be a non-empty list of { file, height, width, boxes }');
  annotations.images.forEach((image, i) => {
    if (image.height !== first.height || image.width !== first.width) {
      throw new EffnetDataError(join(folder, 'annotations.json'), `images[${i}] is ${image.width}×${image.height}, images[0] is ${first.width}×${first.height}; every image must have one size`);
    }
  });
  const boxes = annotations.images.map((image) => image.boxes.map((b) => ({ box: [...b.box] as DetectionBox['box'], classId: b.classId })));
  return new DetectionDataset({ name: folder, images: pixels, boxes, imageShape: [first.height, first.width, 3], classNames: annotations.classes });
}

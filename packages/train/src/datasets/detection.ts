// Detection data for the Trainer: images with labelled boxes, as plain bytes (no tensors), and the
// `effnet-detection` folder format (annotations.json + the images it lists, documented in
// tools/detection-data/README.md). Batches carry each image's boxes instead of one label, so a
// detector's `prepare` and `loss` hooks match them to anchors.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import sharp from 'sharp';
import { EffnetDataError } from '../errors.js';
import { batchOrder, type BatchOptions, type BatchSource } from './dataset.js';

/** One object: `[yMin, xMin, yMax, xMax]` in pixels of its image (the order of `tf.image.nonMaxSuppression`) and its class. */
export interface DetectionBox {
  /** `[yMin, xMin, yMax, xMax]` in pixels. */
  box: [number, number, number, number];
  /** Index into the class names. */
  classId: number;
}

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
 * Reads an `effnet-detection` folder: `annotations.json` (format `effnet-detection`, version 1,
 * `classes`, `images` with `file`, `height`, `width`, `boxes`) and the RGB images it lists, which
 * must all have one size (boxes are in their pixels; resize images and boxes together beforehand).
 *
 * @param folder - The data set folder.
 * @returns An in-memory {@link DetectionDataset} named after the folder.
 * @throws EffnetDataError for unreadable or malformed annotations, an image of another size, or a bad box.
 */
export async function detectionFolder(folder: string): Promise<DetectionDataset> {
  const where = join(folder, 'annotations.json');
  let parsed: { format?: unknown; version?: unknown; classes?: unknown; images?: unknown };
  try {
    parsed = JSON.parse(await readFile(where, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new EffnetDataError(where, `cannot read it as JSON (${(error as Error).message}); write one with tools/detection-data's generate command or by hand`);
  }
  if (parsed?.format !== 'effnet-detection' || parsed.version !== 1) throw new EffnetDataError(where, `expected format 'effnet-detection' version 1, got '${String(parsed?.format)}' version ${String(parsed?.version)}`);
  const classes = parsed.classes;
  if (!Array.isArray(classes) || classes.length === 0 || classes.some((n) => typeof n !== 'string')) throw new EffnetDataError(where, 'classes must be a non-empty list of names');
  if (!Array.isArray(parsed.images) || parsed.images.length === 0) throw new EffnetDataError(where, 'images must be a non-empty list of { file, height, width, boxes }');
  const entries = parsed.images as { file?: unknown; height?: unknown; width?: unknown; boxes?: unknown }[];
  const first = entries[0]!;
  const images: Uint8Array[] = [];
  const boxes: DetectionBox[][] = [];
  for (const [i, entry] of entries.entries()) {
    const file = entry?.file;
    if (typeof file !== 'string' || isAbsolute(file) || normalize(file).split(sep).includes('..')) throw new EffnetDataError(where, `images[${i}].file must be a path inside the folder`);
    if (entry.height !== first.height || entry.width !== first.width) {
      throw new EffnetDataError(where, `images[${i}] is ${String(entry.width)}×${String(entry.height)}, images[0] is ${String(first.width)}×${String(first.height)}; every image must have one size`);
    }
    if (!Array.isArray(entry.boxes)) throw new EffnetDataError(where, `images[${i}].boxes must be a list`);
    let decoded: { data: Buffer; info: sharp.OutputInfo };
    try {
      decoded = await sharp(join(folder, file), { failOn: 'error' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw new EffnetDataError(join(folder, file), `cannot decode image: ${(error as Error).message}`);
    }
    if (decoded.info.width !== entry.width || decoded.info.height !== entry.height || decoded.info.channels !== 3) {
      throw new EffnetDataError(join(folder, file), `is ${decoded.info.width}×${decoded.info.height}×${decoded.info.channels}, annotations.json says ${String(entry.width)}×${String(entry.height)} RGB`);
    }
    images.push(new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength));
    boxes.push((entry.boxes as DetectionBox[]).map((b) => ({ box: Array.isArray(b?.box) ? ([...b.box] as DetectionBox['box']) : ([NaN, NaN, NaN, NaN] as DetectionBox['box']), classId: b?.classId })));
  }
  return new DetectionDataset({ name: folder, images, boxes, imageShape: [Number(first.height), Number(first.width), 3], classNames: classes as string[] });
}

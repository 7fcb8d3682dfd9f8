// The dataset contract of @effnet/train: images as plain bytes (no tensors), so loading,
// shuffling and prefetching never hold GPU memory and a dataset can be shared between runs.
import { EffnetDataError } from '../errors.js';
import { shuffledIndices } from '../shuffle.js';

/** One batch of images in NHWC uint8 layout with integer labels. */
export interface Batch {
  /** `count · height · width · channels` bytes, 0-255. */
  images: Uint8Array;
  /** `count` class indices. */
  labels: Int32Array;
  /** Number of examples in the batch (the last batch may be short). */
  count: number;
  /** `[height, width, channels]` of every image. */
  imageShape: [number, number, number];
}

/** Options of {@link Dataset.batches}. */
export interface BatchOptions {
  /** Examples per batch. */
  batchSize: number;
  /** Shuffle with this seed; `undefined` keeps the stored order. */
  seed?: number;
  /** Drop a last batch shorter than `batchSize` (training usually does). */
  dropLast?: boolean;
}

/**
 * What the Trainer iterates, whatever the task: a named, sized source of batches. A classification
 * {@link Dataset} yields {@link Batch}es; a detection data set yields batches with boxes.
 */
export interface BatchSource<B extends { count: number } = Batch> {
  /** Short name, e.g. `fashion-mnist/train`. */
  readonly name: string;
  /** Number of examples. */
  readonly size: number;
  /** Iterates over the examples in batches (same seed, same order). */
  batches(options: BatchOptions): AsyncIterable<B>;
}

/** A labelled image classification dataset. */
export interface Dataset extends BatchSource<Batch> {
  /** `[height, width, channels]` of every image. */
  readonly imageShape: [number, number, number];
  /** Class names, indexed by label. */
  readonly classNames: readonly string[];
}

/** Checks a batch size and returns the example order for one pass over `size` examples. */
export function batchOrder(name: string, size: number, options: BatchOptions): Uint32Array {
  if (!Number.isInteger(options.batchSize) || options.batchSize <= 0) {
    throw new EffnetDataError(name, `batchSize must be a positive integer, got ${options.batchSize}`);
  }
  if (options.seed !== undefined) return shuffledIndices(size, options.seed);
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  return order;
}

/** A dataset held in memory as one byte array. */
export class InMemoryDataset implements Dataset {
  readonly name: string;
  readonly size: number;
  readonly imageShape: [number, number, number];
  readonly classNames: readonly string[];
  private readonly images: Uint8Array;
  private readonly labels: Int32Array;
  private readonly imageBytes: number;

  /** Wraps `images` (NHWC bytes) and `labels`; checks that their sizes agree. */
  constructor(options: {
    name: string;
    images: Uint8Array;
    labels: Int32Array;
    imageShape: [number, number, number];
    classNames: readonly string[];
  }) {
    const [h, w, c] = options.imageShape;
    this.imageBytes = h * w * c;
    if (options.images.length !== options.labels.length * this.imageBytes) {
      throw new EffnetDataError(
        options.name,
        `${options.images.length} image bytes do not make ${options.labels.length} images of ${h}×${w}×${c}`,
      );
    }
    const bad = options.labels.findIndex((label) => label < 0 || label >= options.classNames.length);
    if (bad >= 0) {
      throw new EffnetDataError(options.name, `label ${options.labels[bad]} of example ${bad} is outside 0…${options.classNames.length - 1}`);
    }
    this.name = options.name;
    this.images = options.images;
    this.labels = options.labels;
    this.imageShape = options.imageShape;
    this.classNames = options.classNames;
    this.size = options.labels.length;
  }

  /** The example at `index` (in stored order); the image is a view, not a copy. */
  example(index: number): { image: Uint8Array; label: number } {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new EffnetDataError(this.name, `example index ${index} is outside 0…${this.size - 1}`);
    }
    return { image: this.images.subarray(index * this.imageBytes, (index + 1) * this.imageBytes), label: this.labels[index]! };
  }

  /** A new dataset holding the examples at `indices`, in that order. */
  subset(indices: ArrayLike<number>, name = this.name): InMemoryDataset {
    const images = new Uint8Array(indices.length * this.imageBytes);
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const { image, label } = this.example(indices[i]!);
      images.set(image, i * this.imageBytes);
      labels[i] = label;
    }
    return new InMemoryDataset({ name, images, labels, imageShape: this.imageShape, classNames: this.classNames });
  }

  async *batches(options: BatchOptions): AsyncIterable<Batch> {
    const order = batchOrder(this.name, this.size, options);
    const { batchSize, dropLast = false } = options;
    for (let start = 0; start < this.size; start += batchSize) {
      const count = Math.min(batchSize, this.size - start);
      if (dropLast && count < batchSize) return;
      const images = new Uint8Array(count * this.imageBytes);
      const labels = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const { image, label } = this.example(order[start + i]!);
        images.set(image, i * this.imageBytes);
        labels[i] = label;
      }
      yield { images, labels, count, imageShape: this.imageShape };
    }
  }
}

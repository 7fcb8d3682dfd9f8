// A dataset from a folder with one sub-folder per class (`root/cat/1.jpg`, `root/dog/2.png`…),
// as torchvision's ImageFolder. JPEG, PNG and WebP are decoded with sharp, resized to a fixed size
// (centre crop to cover), and read in batches with a bounded number of decodes in flight.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { EffnetDataError, batchOrder, type Batch, type BatchOptions, type Dataset } from '@effnet/train';

/** File extensions read as images. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'] as const;

/** Options of {@link imageFolder}. */
export interface ImageFolderOptions {
  /** Square side every image is resized to. */
  size: number;
  /** 3 for RGB (default), 1 for grey. */
  channels?: 1 | 3;
  /** `throw` (default) stops at the first unreadable image; `skip` leaves it out and counts it. */
  onCorrupt?: 'throw' | 'skip';
  /** How many images are decoded ahead of use (default 16). */
  prefetch?: number;
}

/**
 * Decodes a JPEG, PNG or WebP file to `size × size × channels` bytes (EXIF rotation applied, resized
 * to cover the square and centre-cropped, alpha dropped) — the same decoding `imageFolder` uses.
 *
 * @throws EffnetDataError naming the file when it is missing, unreadable or not an image.
 */
export async function decodeImage(path: string, options: { size: number; channels?: 1 | 3 }): Promise<Uint8Array> {
  const channels = options.channels ?? 3;
  try {
    let image = sharp(path, { failOn: 'error' }).rotate().resize(options.size, options.size, { fit: 'cover' });
    image = channels === 1 ? image.greyscale() : image.toColourspace('srgb');
    const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, expected ${channels}`);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw new EffnetDataError(path, `cannot decode image: ${(error as Error).message}`);
  }
}

/** An image-folder dataset; `skipped` counts the unreadable files left out so far. */
export class ImageFolderDataset implements Dataset {
  readonly name: string;
  readonly size: number;
  readonly imageShape: [number, number, number];
  readonly classNames: readonly string[];
  /** Every image file with its label, in sorted order. */
  readonly files: readonly { path: string; label: number }[];
  /** Unreadable files skipped so far (with `onCorrupt: 'skip'`). */
  skipped = 0;
  private readonly options: Required<ImageFolderOptions>;

  constructor(root: string, files: { path: string; label: number }[], classNames: string[], options: Required<ImageFolderOptions>) {
    this.name = root;
    this.files = files;
    this.size = files.length;
    this.classNames = classNames;
    this.options = options;
    this.imageShape = [options.size, options.size, options.channels];
  }

  /** Decodes one file to `size × size × channels` bytes; throws `EffnetDataError` naming it. */
  async read(index: number): Promise<Uint8Array> {
    const file = this.files[index];
    if (!file) throw new EffnetDataError(this.name, `example index ${index} is outside 0…${this.size - 1}`);
    return decodeImage(file.path, { size: this.options.size, channels: this.options.channels });
  }

  async *batches(options: BatchOptions): AsyncIterable<Batch> {
    const order = batchOrder(this.name, this.size, options);
    const { batchSize, dropLast = false } = options;
    const pixels = this.options.size * this.options.size * this.options.channels;
    const pending: Promise<Uint8Array | null>[] = [];
    let next = 0;
    const fill = () => {
      while (next < order.length && pending.length < this.options.prefetch) {
        const promise = this.read(order[next]!).catch((error: unknown) => {
          if (this.options.onCorrupt === 'skip') {
            this.skipped += 1;
            return null;
          }
          throw error;
        });
        promise.catch(() => undefined); // awaited below; this only silences the unhandled warning
        pending.push(promise);
        next += 1;
      }
    };
    let images: Uint8Array[] = [];
    let labels: number[] = [];
    let consumed = 0;
    while (consumed < order.length) {
      fill();
      const image = await pending.shift()!;
      const label = this.files[order[consumed]!]!.label;
      consumed += 1;
      if (image) {
        images.push(image);
        labels.push(label);
      }
      if (images.length === batchSize || (consumed === order.length && images.length > 0 && !dropLast)) {
        const bytes = new Uint8Array(images.length * pixels);
        images.forEach((img, i) => bytes.set(img, i * pixels));
        yield { images: bytes, labels: Int32Array.from(labels), count: images.length, imageShape: this.imageShape };
        images = [];
        labels = [];
      }
    }
  }
}

/** Lists `root`'s class folders (sorted) and their images; throws when there are none. */
export function imageFolder(root: string, options: ImageFolderOptions): ImageFolderDataset {
  const { size, channels = 3, onCorrupt = 'throw', prefetch = 16 } = options;
  if (!Number.isInteger(size) || size <= 0) throw new EffnetDataError(root, `size must be a positive integer, got ${size}`);
  if (channels !== 1 && channels !== 3) throw new EffnetDataError(root, `channels must be 1 or 3, got ${String(channels)}`);
  if (!Number.isInteger(prefetch) || prefetch <= 0) throw new EffnetDataError(root, `prefetch must be a positive integer, got ${prefetch}`);
  let entries: string[];
  try {
    entries = readdirSync(root).sort();
  } catch (error) {
    throw new EffnetDataError(root, `cannot read the folder: ${(error as Error).message}`);
  }
  const classNames = entries.filter((name) => statSync(join(root, name)).isDirectory());
  const files: { path: string; label: number }[] = [];
  classNames.forEach((name, label) => {
    for (const file of readdirSync(join(root, name)).sort()) {
      if ((IMAGE_EXTENSIONS as readonly string[]).includes(extname(file).toLowerCase())) files.push({ path: join(root, name, file), label });
    }
  });
  if (files.length === 0) {
    throw new EffnetDataError(root, `no images found: expected one sub-folder per class holding ${IMAGE_EXTENSIONS.join(', ')} files`);
  }
  return new ImageFolderDataset(root, files, classNames, { size, channels, onCorrupt, prefetch });
}

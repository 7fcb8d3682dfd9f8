// The effnet-detection data set format: a folder with `annotations.json` and the images it lists.
//
//   {
//     "format": "effnet-detection", "version": 1,
//     "classes": ["circle", "square", "triangle"],
//     "images": [
//       { "file": "images/000000.png", "height": 128, "width": 128,
//         "boxes": [ { "box": [yMin, xMin, yMax, xMax], "classId": 0 } ] }
//     ]
//   }
//
// Boxes are in pixels of the listed image, yMin < yMax ≤ height, xMin < xMax ≤ width, and
// classId indexes `classes`. Files are written atomically (temporary name, then rename). Every
// problem is an EffnetDataError naming the entry (`images[3].boxes[0]: …`) and the fix.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import sharp from 'sharp';
import { EffnetDataError } from '@effnet/train';
import writeFileAtomic from 'write-file-atomic';

/** The format name in `annotations.json`. */
export const DETECTION_FORMAT = 'effnet-detection';
/** The format version this code reads and writes. */
export const DETECTION_FORMAT_VERSION = 1;

/** One object: `[yMin, xMin, yMax, xMax]` in pixels of its image (the order of `tf.image.nonMaxSuppression`) and its class. */
export interface DetectionBox {
  /** `[yMin, xMin, yMax, xMax]` in pixels. */
  box: [number, number, number, number];
  /** Index into the class names. */
  classId: number;
}

/** One image entry of `annotations.json`. */
export interface DetectionImageEntry {
  /** Path relative to the data set folder. */
  file: string;
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Its objects. */
  boxes: DetectionBox[];
}

/** The whole `annotations.json`. */
export interface DetectionAnnotations {
  /** Always {@link DETECTION_FORMAT}. */
  format: typeof DETECTION_FORMAT;
  /** Always {@link DETECTION_FORMAT_VERSION}. */
  version: typeof DETECTION_FORMAT_VERSION;
  /** Class names by id. */
  classes: string[];
  /** The images. */
  images: DetectionImageEntry[];
}

/** One image to write: square RGB bytes and its boxes. */
export interface DetectionSample {
  /** RGB bytes, `size`×`size`, row-major. */
  pixels: Uint8Array;
  /** Its objects, `[yMin, xMin, yMax, xMax]` in pixels. */
  boxes: readonly DetectionBox[];
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * Writes square RGB samples as PNGs plus `annotations.json` into `folder`.
 *
 * @param folder - Destination (created if missing).
 * @param samples - Images and boxes.
 * @param classes - Class names by id.
 * @param size - Image side of the samples.
 */
export async function writeDetectionSet(folder: string, samples: readonly DetectionSample[], classes: readonly string[], size: number): Promise<DetectionAnnotations> {
  const images: DetectionImageEntry[] = [];
  for (const [i, sample] of samples.entries()) {
    const file = `images/${String(i).padStart(6, '0')}.png`;
    const png = await sharp(Buffer.from(sample.pixels), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
    await writeAtomic(join(folder, file), png);
    images.push({ file, height: size, width: size, boxes: sample.boxes.map((b) => ({ box: [...b.box], classId: b.classId })) });
  }
  const annotations: DetectionAnnotations = { format: DETECTION_FORMAT, version: DETECTION_FORMAT_VERSION, classes: [...classes], images };
  await writeAtomic(join(folder, 'annotations.json'), `${JSON.stringify(annotations)}\n`);
  return annotations;
}

/**
 * Checks a parsed `annotations.json`.
 *
 * @throws EffnetDataError naming the first bad entry.
 */
export function checkAnnotations(value: unknown): DetectionAnnotations {
  const fail = (where: string, message: string): never => {
    throw new EffnetDataError(where, message);
  };
  if (typeof value !== 'object' || value === null) return fail('annotations.json', 'expected a JSON object');
  const a = value as Partial<DetectionAnnotations>;
  if (a.format !== DETECTION_FORMAT || a.version !== DETECTION_FORMAT_VERSION) {
    fail('annotations.json', `expected format '${DETECTION_FORMAT}' version ${DETECTION_FORMAT_VERSION}, got '${String(a.format)}' version ${String(a.version)}`);
  }
  if (!Array.isArray(a.classes) || a.classes.length === 0 || a.classes.some((c) => typeof c !== 'string')) fail('classes', 'expected a non-empty list of class names');
  if (!Array.isArray(a.images)) fail('images', 'expected a list of image entries');
  a.images!.forEach((image, i) => {
    const where = `images[${i}]`;
    if (typeof image?.file !== 'string' || isAbsolute(image.file) || normalize(image.file).split(sep).includes('..')) fail(where, 'file must be a path inside the data set folder');
    if (!Number.isSafeInteger(image.height) || image.height < 1 || !Number.isSafeInteger(image.width) || image.width < 1) fail(where, 'height and width must be positive integers');
    if (!Array.isArray(image.boxes)) fail(where, 'boxes must be a list');
    image.boxes.forEach((b, j) => {
      const at = `${where}.boxes[${j}]`;
      if (!Array.isArray(b?.box) || b.box.length !== 4 || b.box.some((v) => typeof v !== 'number' || !Number.isFinite(v))) fail(at, 'box must be [yMin, xMin, yMax, xMax] numbers');
      const [y0, x0, y1, x1] = b.box;
      if (!(y0 >= 0 && x0 >= 0 && y0 < y1 && x0 < x1 && y1 <= image.height && x1 <= image.width)) fail(at, `box [${b.box.join(', ')}] must satisfy 0 ≤ yMin < yMax ≤ height and 0 ≤ xMin < xMax ≤ width (boxes are [yMin, xMin, yMax, xMax])`);
      if (!Number.isSafeInteger(b.classId) || b.classId < 0 || b.classId >= a.classes!.length) fail(at, `classId must index classes (0…${a.classes!.length - 1}), got ${String(b.classId)}`);
    });
  });
  return a as DetectionAnnotations;
}

/** A data set read back: annotations plus decoded RGB pixels per image. */
export interface LoadedDetectionSet {
  /** The checked annotations. */
  annotations: DetectionAnnotations;
  /** RGB bytes per image, in `annotations.images` order. */
  pixels: Uint8Array[];
}

/**
 * Reads and checks a data set folder, decoding every image to RGB.
 *
 * @throws EffnetDataError for malformed annotations or an image whose size differs from its entry.
 */
export async function readDetectionSet(folder: string): Promise<LoadedDetectionSet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(folder, 'annotations.json'), 'utf8'));
  } catch (error) {
    throw new EffnetDataError('annotations.json', `cannot read ${join(folder, 'annotations.json')} as JSON (${(error as Error).message}); write one with writeDetectionSet or by hand`);
  }
  const annotations = checkAnnotations(parsed);
  const pixels = await Promise.all(
    annotations.images.map(async (image, i) => {
      let decoded: { data: Buffer; info: sharp.OutputInfo };
      try {
        decoded = await sharp(join(folder, image.file), { failOn: 'error' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      } catch (error) {
        throw new EffnetDataError(`images[${i}]`, `cannot decode ${join(folder, image.file)}: ${(error as Error).message}`);
      }
      const { data, info } = decoded;
      if (info.width !== image.width || info.height !== image.height || info.channels !== 3) {
        throw new EffnetDataError(`images[${i}]`, `${image.file} is ${info.width}×${info.height}×${info.channels}, the entry says ${image.width}×${image.height} RGB`);
      }
      return new Uint8Array(data.buffer, data.byteOffset, data.length);
    }),
  );
  return { annotations, pixels };
}

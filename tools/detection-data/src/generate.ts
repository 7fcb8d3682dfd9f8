// The seeded generator: each image is a random crop of one of the photographs (random side,
// position and mirror, resized bilinearly to size×size) with 1-3 non-overlapping coloured shapes
// of random class, side and colour drawn on it; boxes are the painted pixels' bounding boxes.
import type { DetectionSample } from '@effnet/data';
import type { LabelledBox } from '@effnet/models';
import { SeededRandom } from '@effnet/schedules';
import type { Photograph } from './photographs.js';
import { SHAPE_CLASSES, drawShape, saturatedColour } from './shapes.js';

export type { DetectionSample } from '@effnet/data';

/** Options of {@link generateDetectionSet}. */
export interface GenerateOptions {
  /** Number of images. */
  count: number;
  /** Image side in pixels (default 128). */
  size?: number;
  /** Seed: equal seeds give equal images. */
  seed: number;
  /** Fewest shapes per image (default 1). */
  minShapes?: number;
  /** Most shapes per image (default 3). */
  maxShapes?: number;
  /** Smallest shape side as a fraction of the image (default 0.3). */
  minSide?: number;
  /** Largest shape side as a fraction of the image (default 0.5). */
  maxSide?: number;
}

/** Uniform in [lo, hi) from the seeded stream. */
const uniformIn = (rng: SeededRandom, lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
/** Integer in [lo, hi] (both included) from the seeded stream. */
const intIn = (rng: SeededRandom, lo: number, hi: number) => lo + rng.int(hi - lo + 1);

function cropResize(photo: Photograph, rng: SeededRandom, size: number): Uint8Array {
  const short = Math.min(photo.width, photo.height);
  const side = uniformIn(rng, 0.3, 0.9) * short;
  const top = uniformIn(rng, 0, photo.height - side);
  const left = uniformIn(rng, 0, photo.width - side);
  const mirror = rng.uniform() < 0.5;
  const out = new Uint8Array(size * size * 3);
  const scale = side / size;
  for (let y = 0; y < size; y++) {
    const sy = Math.min(photo.height - 1.001, Math.max(0, top + (y + 0.5) * scale - 0.5));
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const xx = mirror ? size - 1 - x : x;
      const sx = Math.min(photo.width - 1.001, Math.max(0, left + (xx + 0.5) * scale - 0.5));
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const p00 = 3 * (y0 * photo.width + x0);
      const p10 = p00 + 3 * photo.width;
      const d = photo.data;
      for (let c = 0; c < 3; c++) {
        const upper = d[p00 + c]! * (1 - fx) + d[p00 + 3 + c]! * fx;
        const lower = d[p10 + c]! * (1 - fx) + d[p10 + 3 + c]! * fx;
        out[3 * (y * size + x) + c] = Math.round(upper * (1 - fy) + lower * fy);
      }
    }
  }
  return out;
}

function overlaps(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!;
}

/**
 * Generates a data set of shapes on photographs.
 *
 * @param photographs - Backgrounds (see loadPhotographs).
 * @param options - Count, size, seed and shape settings.
 * @returns The images with their boxes; class ids index {@link SHAPE_CLASSES}.
 * @throws RangeError for a count or size that is not a positive integer, or shape sides outside (0, 1].
 */
export function generateDetectionSet(photographs: readonly Photograph[], options: GenerateOptions): DetectionSample[] {
  const { count, size = 128, seed, minShapes = 1, maxShapes = 3, minSide = 0.3, maxSide = 0.5 } = options;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  if (!Number.isSafeInteger(size) || size < 16) throw new RangeError(`size must be an integer ≥ 16, got ${size}`);
  if (!(minSide > 0 && minSide <= maxSide && maxSide <= 1)) throw new RangeError(`need 0 < minSide ≤ maxSide ≤ 1, got ${minSide} and ${maxSide}`);
  if (!(Number.isSafeInteger(minShapes) && minShapes >= 0 && maxShapes >= minShapes)) throw new RangeError(`need 0 ≤ minShapes ≤ maxShapes, got ${minShapes} and ${maxShapes}`);
  if (photographs.length === 0) throw new RangeError('need at least one photograph');
  const rng = new SeededRandom(seed);
  const samples: DetectionSample[] = [];
  for (let i = 0; i < count; i++) {
    const photo = photographs[intIn(rng, 0, photographs.length - 1)]!;
    const pixels = cropResize(photo, rng, size);
    const boxes: LabelledBox[] = [];
    const wanted = intIn(rng, minShapes, maxShapes);
    for (let attempt = 0; boxes.length < wanted && attempt < 50; attempt++) {
      const side = uniformIn(rng, minSide, maxSide) * size;
      const top = uniformIn(rng, 0, size - side);
      const left = uniformIn(rng, 0, size - side);
      const square = [top - 1, left - 1, top + side + 1, left + side + 1];
      if (boxes.some((b) => overlaps(b.box, square))) continue;
      const classId = intIn(rng, 0, SHAPE_CLASSES.length - 1);
      const colour = saturatedColour(rng.uniform(), uniformIn(rng, 0.75, 1));
      const box = drawShape(pixels, size, SHAPE_CLASSES[classId]!, top, left, side, colour);
      if (box) boxes.push({ box, classId });
    }
    samples.push({ pixels, boxes });
  }
  return samples;
}

// A data set where resolution matters: each 28×28 image enlarged to a random size (bilinear with
// pixel centres aligned: Pillow's BILINEAR resize when it enlarges, within one grey level, since
// Pillow rounds between its two passes) and placed at a random position on a larger blank canvas. At half the canvas size the
// object is still at least as large as the original 28 px, so a progressive plan's first stage
// sees what the task needs; at 28 px it would not. Sizes and positions are drawn per image from a
// seeded stream (seed + split), so a data set is the same on every machine.
import { SeededRandom } from '@effnet/schedules';
import { EffnetDataError, InMemoryDataset } from '@effnet/train';
import { fashionMnist } from './fashion-mnist.js';
import type { SplitOptions } from './stratified-split.js';

/** Options of {@link placeOnCanvas}. */
export interface CanvasOptions {
  /** Side of the square canvas in pixels (default 64). */
  size?: number;
  /** Smallest side of a placed object in pixels (default 36). */
  minObject?: number;
  /** Largest side of a placed object in pixels (default 60; at most `size`). */
  maxObject?: number;
  /** Seed of sizes and positions (default 0). */
  seed?: number;
}

/** Weights of a 1-D bilinear resampling from `from` to `to` pixels, half-pixel centres: [to][2] taps. */
function bilinearTaps(from: number, to: number): { index: Int32Array; weight: Float32Array } {
  const index = new Int32Array(to * 2);
  const weight = new Float32Array(to * 2);
  const scale = from / to;
  for (let i = 0; i < to; i++) {
    const x = Math.min(from - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    const left = Math.floor(x);
    const right = Math.min(from - 1, left + 1);
    const t = x - left;
    index[2 * i] = left;
    index[2 * i + 1] = right;
    weight[2 * i] = 1 - t;
    weight[2 * i + 1] = t;
  }
  return { index, weight };
}

/** Resizes one grey image `side`×`side` to `out`×`out` and writes it into `canvas` (width `canvasSide`) at (top, left). */
function resizeInto(image: Uint8Array, side: number, out: number, canvas: Uint8Array, canvasSide: number, top: number, left: number, taps: { index: Int32Array; weight: Float32Array }): void {
  const rows = new Float32Array(out * side); // vertical pass: out rows of `side` columns
  for (let y = 0; y < out; y++) {
    const [a, b, wa, wb] = [taps.index[2 * y]!, taps.index[2 * y + 1]!, taps.weight[2 * y]!, taps.weight[2 * y + 1]!];
    for (let x = 0; x < side; x++) rows[y * side + x] = wa * image[a * side + x]! + wb * image[b * side + x]!;
  }
  for (let y = 0; y < out; y++) {
    for (let x = 0; x < out; x++) {
      const v = taps.weight[2 * x]! * rows[y * side + taps.index[2 * x]!]! + taps.weight[2 * x + 1]! * rows[y * side + taps.index[2 * x + 1]!]!;
      canvas[(top + y) * canvasSide + left + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
}

/**
 * Places every image of a square grey data set on a blank `size`×`size` canvas, enlarged to a
 * random side in [minObject, maxObject] at a random position (see the file comment).
 *
 * @throws EffnetDataError for a data set that is not square grey, or sizes that do not fit.
 */
export function placeOnCanvas(data: InMemoryDataset, options: CanvasOptions = {}): InMemoryDataset {
  const { size = 64, minObject = 36, maxObject = Math.min(60, size), seed = 0 } = options;
  const [h, w, c] = data.imageShape;
  if (h !== w || c !== 1) throw new EffnetDataError(data.name, `placeOnCanvas takes square grey images, got ${h}×${w}×${c}`);
  if (!Number.isInteger(size) || size < h || size > 1024) throw new EffnetDataError('size', `must be an integer from ${h} to 1024, got ${size}`);
  if (!Number.isInteger(minObject) || !Number.isInteger(maxObject) || minObject < 1 || minObject > maxObject || maxObject > size) {
    throw new EffnetDataError('minObject', `object sides must be integers with 1 ≤ minObject (${minObject}) ≤ maxObject (${maxObject}) ≤ size (${size})`);
  }
  const random = new SeededRandom(seed);
  const taps = new Map<number, { index: Int32Array; weight: Float32Array }>();
  const images = new Uint8Array(data.size * size * size);
  const labels = new Int32Array(data.size);
  for (let i = 0; i < data.size; i++) {
    const { image, label } = data.example(i);
    const side = minObject + random.int(maxObject - minObject + 1);
    const top = random.int(size - side + 1);
    const left = random.int(size - side + 1);
    if (!taps.has(side)) taps.set(side, bilinearTaps(h, side));
    resizeInto(image, h, side, images.subarray(i * size * size, (i + 1) * size * size), size, top, left, taps.get(side)!);
    labels[i] = label;
  }
  const name = data.name.includes('/') ? data.name.replace('/', `-${size}/`) : `${data.name}-${size}`;
  return new InMemoryDataset({ name, images, labels, imageShape: [size, size, 1], classNames: data.classNames });
}

/** Pixel mean and std of {@link fashionMnistCanvas}'s training split (defaults; measured on 500 images per class), 0-1 scale. */
export const FASHION_MNIST_CANVAS_STATS = { mean: [0.165], std: [0.293] };

/**
 * Fashion-MNIST on a 64×64 canvas (see {@link placeOnCanvas}): effnet's fixed split, each image
 * enlarged to 36-60 px and placed at random; train and test draw from different seeds.
 */
export function fashionMnistCanvas(options: SplitOptions & CanvasOptions): InMemoryDataset {
  const seed = (options.seed ?? 0) * 2 + (options.split === 'test' ? 1 : 0);
  return placeOnCanvas(fashionMnist(options), { ...options, seed });
}

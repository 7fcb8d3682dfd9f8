// The data sets the CLI knows by name, with the normalisation each trains with: `fashion-mnist`
// and `mnist` (fixed, documented splits from @effnet/data), or a folder holding `train/` and
// `test/` image folders (one sub-folder per class; ImageNet mean and std).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_STATS, MNIST_STATS, fashionMnist, imageFolder, mnist } from '@effnet/data';
import { EffnetDataError, InMemoryDataset, type Dataset } from '@effnet/train';

/** A train/test pair with the per-channel mean and std (0-1 scale) to normalise with. */
export interface LoadedData {
  /** Training split. */
  train: InMemoryDataset;
  /** Held-out split. */
  test: InMemoryDataset;
  /** Per-channel mean. */
  mean: number[];
  /** Per-channel standard deviation. */
  std: number[];
}

/** ImageNet's mean and std, for RGB folders. */
export const IMAGENET_STATS = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** Names accepted by `--data` besides folders. */
export const DATASET_NAMES = ['fashion-mnist', 'mnist'] as const;

/** Reads every batch of a dataset into memory (image folders are small in CLI use). */
async function materialise(data: Dataset): Promise<InMemoryDataset> {
  const [h, w, c] = data.imageShape;
  const images = new Uint8Array(data.size * h * w * c);
  const labels = new Int32Array(data.size);
  let n = 0;
  for await (const batch of data.batches({ batchSize: 64 })) {
    images.set(batch.images, n * h * w * c);
    labels.set(batch.labels, n);
    n += batch.count;
  }
  return new InMemoryDataset({ name: data.name, images: images.subarray(0, n * h * w * c), labels: labels.subarray(0, n), imageShape: data.imageShape, classNames: data.classNames });
}

/** Loads `fashion-mnist` or `mnist` by name. */
export function loadDataset(name: string, options: { limitPerClass?: number; size?: number } = {}): LoadedData {
  const { limitPerClass } = options;
  if (name === 'fashion-mnist') return { train: fashionMnist({ split: 'train', limitPerClass }), test: fashionMnist({ split: 'test', limitPerClass }), ...FASHION_MNIST_STATS };
  if (name === 'mnist') return { train: mnist({ split: 'train', limitPerClass }), test: mnist({ split: 'test', limitPerClass }), ...MNIST_STATS };
  throw new EffnetDataError(name, `unknown data set; use ${DATASET_NAMES.join(' or ')}, or a folder with train/ and test/ image folders`);
}

/** Loads a data set by name or a folder with `train/` and `test/` sub-folders (decoded at `size`). */
export async function loadAnyDataset(name: string, options: { limitPerClass?: number; size: number; channels?: 1 | 3 }): Promise<LoadedData> {
  if ((DATASET_NAMES as readonly string[]).includes(name)) return loadDataset(name, options);
  if (!existsSync(name)) throw new EffnetDataError(name, `no such data set or folder; use ${DATASET_NAMES.join(' or ')}, or a folder with train/ and test/ image folders`);
  const parts = ['train', 'test'].map((part) => join(name, part));
  const missing = parts.filter((part) => !existsSync(part));
  if (missing.length > 0) throw new EffnetDataError(name, `lacks ${missing.join(' and ')}: put one sub-folder per class under train/ and test/`);
  const channels = options.channels ?? 3;
  const [train, test] = await Promise.all(parts.map((part) => materialise(imageFolder(part, { size: options.size, channels }))));
  const stats = channels === 1 ? { mean: [0.5], std: [0.25] } : IMAGENET_STATS;
  return { train: train!, test: test!, ...stats };
}

// The data sets the CLI knows by name, with the normalisation each trains with: `fashion-mnist`
// and `mnist` (fixed, documented splits from @effnet/data), `fashion-mnist-64` (the same images
// enlarged and placed at random on a 64×64 canvas, where resolution matters), or a folder holding `train/` and
// `test/` image folders (one sub-folder per class; ImageNet mean and std).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_CANVAS_STATS, FASHION_MNIST_STATS, MNIST_STATS, fashionMnist, fashionMnistCanvas, imageFolder, mnist } from '@effnet/data';
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
export const DATASET_NAMES = ['fashion-mnist', 'mnist', 'fashion-mnist-64'] as const;

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
  if (name === 'fashion-mnist-64') return { train: fashionMnistCanvas({ split: 'train', limitPerClass }), test: fashionMnistCanvas({ split: 'test', limitPerClass }), ...FASHION_MNIST_CANVAS_STATS };
  if (name === 'mnist') return { train: mnist({ split: 'train', limitPerClass }), test: mnist({ split: 'test', limitPerClass }), ...MNIST_STATS };
  throw new EffnetDataError(name, `unknown data set; use ${DATASET_NAMES.join(' or ')}, or a folder with train/ and test/ image folders`);
}

/** Throws unless the test split has exactly the training split's class folders (labels are matched by name). */
export function checkSameClasses(trainClasses: readonly string[], testClasses: readonly string[], root: string): void {
  const missing = trainClasses.filter((c) => !testClasses.includes(c));
  const extra = testClasses.filter((c) => !trainClasses.includes(c));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [missing.length > 0 ? `test/ lacks ${missing.join(', ')}` : '', extra.length > 0 ? `test/ has ${extra.join(', ')} that train/ lacks` : ''].filter(Boolean);
  throw new EffnetDataError(root, `${parts.join('; ')}: give train/ and test/ the same class folders`);
}

/** Throws when a class folder holds no image (it would be a class the model never sees). */
export function checkNoEmptyClass(root: string, classNames: readonly string[], labels: readonly number[]): void {
  const counts = new Array<number>(classNames.length).fill(0);
  for (const label of labels) counts[label]! += 1;
  const empty = classNames.filter((_, i) => counts[i] === 0);
  if (empty.length > 0) throw new EffnetDataError(root, `class folder${empty.length > 1 ? 's' : ''} ${empty.join(', ')} hold${empty.length > 1 ? '' : 's'} no images: add images or remove the folder`);
}

/** Loads a data set by name or a folder with `train/` and `test/` sub-folders (decoded at `size`). */
export async function loadAnyDataset(name: string, options: { limitPerClass?: number; size: number; channels?: 1 | 3 }): Promise<LoadedData> {
  if ((DATASET_NAMES as readonly string[]).includes(name)) return loadDataset(name, options);
  if (!existsSync(name)) throw new EffnetDataError(name, `no such data set or folder; use ${DATASET_NAMES.join(' or ')}, or a folder with train/ and test/ image folders`);
  const parts = ['train', 'test'].map((part) => join(name, part));
  const missing = parts.filter((part) => !existsSync(part));
  if (missing.length > 0) throw new EffnetDataError(name, `lacks ${missing.join(' and ')}: put one sub-folder per class under train/ and test/`);
  const channels = options.channels ?? 3;
  const folders = parts.map((part) => imageFolder(part, { size: options.size, channels }));
  checkSameClasses(folders[0]!.classNames, folders[1]!.classNames, name);
  for (const folder of folders) checkNoEmptyClass(folder.name, folder.classNames, folder.files.map((f) => f.label));
  const [train, test] = await Promise.all(folders.map((folder) => materialise(folder)));
  const stats = channels === 1 ? { mean: [0.5], std: [0.25] } : IMAGENET_STATS;
  return { train: train!, test: test!, ...stats };
}

/**
 * `data` with its labels renumbered to `modelClasses` by class name, for evaluating a model on a
 * folder whose class folders are fewer or ordered otherwise. A model whose names are placeholders
 * (`class 0`, `class 1`…, as `effnet import` writes them) has no names to match: labels stay positional.
 *
 * @throws EffnetDataError naming the classes the model does not know.
 */
export function matchClassesByName(data: Dataset, modelClasses: readonly string[]): Dataset {
  const placeholders = modelClasses.every((name, i) => name === `class ${i}`);
  if (placeholders) {
    if (data.classNames.length > modelClasses.length) {
      throw new EffnetDataError(data.name, `has ${data.classNames.length} classes but the model predicts ${modelClasses.length}: evaluate it on data with at most that many classes`);
    }
    return data;
  }
  const unknown = data.classNames.filter((name) => !modelClasses.includes(name));
  if (unknown.length > 0) {
    const known = modelClasses.length > 12 ? `${modelClasses.slice(0, 12).join(', ')}…` : modelClasses.join(', ');
    throw new EffnetDataError(data.name, `has classes the model does not know: ${unknown.join(', ')} (the model's classes: ${known}); name the class folders as the model's classes`);
  }
  const map = Int32Array.from(data.classNames, (name) => modelClasses.indexOf(name));
  if (map.every((to, from) => to === from)) return data;
  return {
    name: data.name, size: data.size, imageShape: data.imageShape, classNames: modelClasses,
    async *batches(options) {
      for await (const batch of data.batches(options)) yield { ...batch, labels: batch.labels.map((label) => map[label]!) };
    },
  };
}

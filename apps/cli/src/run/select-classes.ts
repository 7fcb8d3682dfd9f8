// `effnet train --classes`: a data set cut down to some of its classes (by index or name), the
// labels renumbered 0…k−1 in the order given — how a fine-tuning experiment trains on five
// Fashion-MNIST classes and transfers to the other five.
import { EffnetDataError, InMemoryDataset } from '@effnet/train';
import { EffnetOptionError } from '../option-error.js';

/** Resolves `--classes` items (indices or names) to class indices of `classNames`. */
export function classIndices(items: readonly string[], classNames: readonly string[]): number[] {
  const indices = items.map((item) => {
    const byName = classNames.indexOf(item);
    if (byName >= 0) return byName;
    const n = /^\d+$/.test(item) ? Number(item) : -1;
    if (n >= 0 && n < classNames.length) return n;
    throw new EffnetOptionError('--classes', `'${item}' is neither a class index (0-${classNames.length - 1}) nor a class name of the data (${classNames.slice(0, 12).join(', ')})`);
  });
  if (new Set(indices).size !== indices.length) throw new EffnetOptionError('--classes', `names a class twice (${items.join(',')})`);
  if (indices.length < 2) throw new EffnetOptionError('--classes', 'needs at least two classes to train a classifier');
  return indices;
}

/** The examples of `data` whose class is in `indices`, relabelled by position in `indices`. */
export function selectClasses(data: InMemoryDataset, indices: readonly number[]): InMemoryDataset {
  const map = new Map(indices.map((index, i) => [index, i] as const));
  const keep: number[] = [];
  for (let i = 0; i < data.size; i++) if (map.has(data.example(i).label)) keep.push(i);
  if (keep.length === 0) throw new EffnetDataError(data.name, `holds no image of the classes asked for by --classes`);
  const [h, w, c] = data.imageShape;
  const images = new Uint8Array(keep.length * h * w * c);
  const labels = new Int32Array(keep.length);
  keep.forEach((index, i) => {
    const { image, label } = data.example(index);
    images.set(image, i * h * w * c);
    labels[i] = map.get(label)!;
  });
  return new InMemoryDataset({ name: data.name, images, labels, imageShape: data.imageShape, classNames: indices.map((index) => data.classNames[index]!) });
}

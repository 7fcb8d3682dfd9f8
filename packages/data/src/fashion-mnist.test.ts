import { describe, expect, it } from 'vitest';
import { EffnetDataError } from '@effnet/train';
import { fashionMnist, FASHION_MNIST_CLASSES } from './fashion-mnist.js';

describe('fashionMnist', () => {
  const train = fashionMnist({ split: 'train' });
  const test = fashionMnist({ split: 'test' });

  it('splits 70,000 images into 60,000 train and 10,000 test, stratified', () => {
    expect(train.size).toBe(60_000);
    expect(test.size).toBe(10_000);
    expect(train.imageShape).toEqual([28, 28, 1]);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < test.size; i++) counts[test.example(i).label] += 1;
    expect(counts).toEqual(new Array(10).fill(1000));
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES);
  });

  it('never puts the same image in both parts', () => {
    const key = (image: Uint8Array) => Buffer.from(image).toString('base64');
    const testImages = new Set<string>();
    for (let i = 0; i < test.size; i++) testImages.add(key(test.example(i).image));
    let shared = 0;
    for (let i = 0; i < train.size; i++) if (testImages.has(key(train.example(i).image))) shared += 1;
    // Fashion-MNIST holds a few byte-identical duplicates of its own; the split adds none.
    expect(shared).toBeLessThan(20);
  });

  it('is the same split on every call and keeps real pixel statistics', () => {
    const again = fashionMnist({ split: 'test', limitPerClass: 3 });
    expect(again.size).toBe(30);
    expect(Array.from(again.example(0).image)).toEqual(Array.from(test.example(0).image));
    let sum = 0;
    for (let i = 0; i < test.size; i++) for (const v of test.example(i).image) sum += v;
    const mean = sum / (test.size * 784) / 255;
    expect(mean).toBeGreaterThan(0.27);
    expect(mean).toBeLessThan(0.30);
  });

  it('rejects a bad split or limit', () => {
    expect(() => fashionMnist({ split: 'val' as 'train' })).toThrow(EffnetDataError);
    expect(() => fashionMnist({ split: 'train', limitPerClass: 0 })).toThrow(/limitPerClass/);
  });
});

import { describe, expect, it } from 'vitest';
import { EffnetDataError } from '@effnet/train';
import { mnist, MNIST_CLASSES } from './mnist.js';

describe('mnist', () => {
  const train = mnist({ split: 'train' });
  const test = mnist({ split: 'test' });

  it('splits the package’s 10,000 digits into 8,004 train and 1,996 test, ⌊n/5⌋ per class', () => {
    expect(train.size + test.size).toBe(10_000);
    expect(test.size).toBe(1996);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < test.size; i++) counts[test.example(i).label] += 1;
    // The package holds 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944 and 978 digits per class.
    expect(counts).toEqual([200, 225, 198, 206, 196, 172, 202, 214, 188, 195]);
    expect(train.imageShape).toEqual([28, 28, 1]);
    expect(train.classNames).toEqual(MNIST_CLASSES);
  });

  it('keeps the two parts apart and the same on every call', () => {
    const key = (image: Uint8Array) => Buffer.from(image).toString('base64');
    const testImages = new Set<string>();
    for (let i = 0; i < test.size; i++) testImages.add(key(test.example(i).image));
    let shared = 0;
    for (let i = 0; i < train.size; i++) if (testImages.has(key(train.example(i).image))) shared += 1;
    expect(shared).toBe(0);
    const again = mnist({ split: 'test', limitPerClass: 2 });
    expect(again.size).toBe(20);
    expect(Array.from(again.example(0).image)).toEqual(Array.from(test.example(0).image));
  });

  it('stores real digits as bytes (dark background, bright strokes)', () => {
    let sum = 0;
    let max = 0;
    for (let i = 0; i < test.size; i++) for (const v of test.example(i).image) { sum += v; max = Math.max(max, v); }
    const mean = sum / (test.size * 784) / 255;
    expect(max).toBe(255);
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.15);
  });

  it('rejects a bad split or limit', () => {
    expect(() => mnist({ split: 'val' as 'train' })).toThrow(EffnetDataError);
    expect(() => mnist({ split: 'train', limitPerClass: -1 })).toThrow(/limitPerClass/);
  });
});

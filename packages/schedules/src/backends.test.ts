// Same seed, same augmented batch on cpu and wasm (tfjs-backend-wasm from its installed dist/
// folder), and no tensor left behind over 1,000 augmentation calls. webgl and webgpu are checked
// against Node cpu in Chromium by apps/web (src/augment-workload.ts, test/chromium.test.ts).
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomFlip, randomResizedCrop, resizeImages } from './crop-flip-resize.js';
import { cutmix, mixup } from './mixing.js';
import { applyRandAugmentOp, RAND_AUGMENT_OPS, randAugment, randAugmentParameter } from './rand-augment.js';
import { loadPillowFixtures, squarePhotos } from '../test/pillow-fixtures.js';

const fixtures = loadPillowFixtures();
const square = squarePhotos(fixtures);
const [, H, W, C] = square.shape;
const photoBytes = square.data;

/** Everything a training batch goes through, on the current backend, as plain arrays. */
function pipeline(): Record<string, number[]> {
  const results: Record<string, number[]> = {};
  tf.tidy(() => {
    const photos = tf.tensor4d(photoBytes, [3, H, W, C], 'float32');
    const x = tf.concat([photos, tf.reverse(photos, 1)], 0) as tf.Tensor4D;
    const labels = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32'), 6), 'float32') as tf.Tensor2D;
    for (const op of RAND_AUGMENT_OPS) {
      for (const sign of [1, -1] as const) {
        results[`${op}${sign}`] = Array.from(applyRandAugmentOp(x, op, randAugmentParameter(op, 13, sign, W, H)).dataSync());
      }
    }
    const augment = randAugment({ n: 2, magnitude: 15, magnitudeStd: 2, seed: 42, range: '0-1' });
    const unit = tf.div(x, 255) as tf.Tensor4D;
    for (let call = 0; call < 4; call++) results[`randAugment${call}`] = Array.from(augment(unit).dataSync());
    const mixed = mixup(0.4, { seed: 1 })(unit, labels);
    results.mixupImages = Array.from(mixed.images.dataSync());
    results.mixupLabels = Array.from(mixed.labels.dataSync());
    const cut = cutmix(1, { seed: 1 })(unit, labels);
    results.cutmixImages = Array.from(cut.images.dataSync());
    results.cutmixLabels = Array.from(cut.labels.dataSync());
    results.crop = Array.from(randomResizedCrop({ size: 24, seed: 3 })(unit).dataSync());
    results.flip = Array.from(randomFlip({ seed: 3 })(unit).dataSync());
    results.resize = Array.from(resizeImages(unit, [20, 30]).dataSync());
    results.resizeAntialias = Array.from(resizeImages(unit, [13, 21], { antialias: true }).dataSync());
  });
  return results;
}

describe('cpu and wasm', () => {
  let wasmReady = false;
  beforeAll(async () => {
    const dist = `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`;
    setWasmPaths(dist);
    wasmReady = await tf.setBackend('wasm');
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('give the same augmented batch for the same seed', async () => {
    expect(wasmReady).toBe(true);
    await tf.setBackend('cpu');
    const cpu = pipeline();
    await tf.setBackend('wasm');
    const wasm = pipeline();
    await tf.setBackend('cpu');
    expect(Object.keys(wasm)).toEqual(Object.keys(cpu));
    const integer = (name: string) => !/^(mixup|cutmixLabels|crop|resize)/.test(name);
    for (const name of Object.keys(cpu)) {
      const [a, b] = [cpu[name]!, wasm[name]!];
      expect(b.length, name).toBe(a.length);
      if (integer(name) && !name.startsWith('randAugment')) {
        expect(b, name).toEqual(a);
      } else {
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        expect(worst, name).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`leave no tensor behind over 1,000 augmentation calls on ${backend}`, async () => {
      await tf.setBackend(backend);
      const x = tf.tidy(() => tf.div(tf.slice(tf.tensor4d(photoBytes, [3, H, W, C], 'float32'), [0, 0, 0, 0], [2, 16, 16, 3]), 255)) as tf.Tensor4D;
      const labels = tf.tensor2d([[1, 0], [0, 1]]);
      const augment = randAugment({ n: 2, magnitude: 10, seed: 1, range: '0-1' });
      const mix = mixup(0.2, { seed: 1 });
      const cut = cutmix(1, { seed: 1 });
      const crop = randomResizedCrop({ size: 12, seed: 1 });
      const flip = randomFlip({ seed: 1 });
      const before = tf.memory().numTensors;
      for (let k = 0; k < 1000; k++) {
        const a = augment(x);
        const m = k % 2 === 0 ? mix(a, labels) : cut(a, labels);
        const f = flip(m.images);
        const c = crop(f);
        tf.dispose([a, m.images, m.labels, f, c]);
      }
      expect(tf.memory().numTensors - before).toBe(0);
      tf.dispose([x, labels]);
      await tf.setBackend('cpu');
    });
  }
});

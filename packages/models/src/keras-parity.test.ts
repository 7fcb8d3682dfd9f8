// Parity with Keras 3 (keras.applications, fixtures-full/keras written by `npm run fixtures` in the
// venv of tools/fixtures/reference-env.sh): every tensor path and shape of the .weights.h5 files of
// EfficientNetB0-B7 and V2B0-B3/S/M/L (keras_shapes.py) has its effnet tensor through the Keras
// name table; `.weights.h5` files saved from EfficientNetB0/B3 and
// EfficientNetV2B0/S with seeded weights, imported with importKeras into the preset built with
// kerasOverrides, give Keras' logits within 1e-4 for the same 0-255 pixels, Keras' built-in
// Rescaling/Normalization included (as the returned preprocessing). Without the fixtures the tests
// are skipped with a printed reason, unless CI is set, where they fail.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { preset, type ModelSpec } from '@effnet/scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { importKeras, kerasNames, kerasOverrides } from './import-keras.js';
import { preprocess } from './preprocessing.js';
import { readSafetensors } from './safetensors.js';
import { maxAbsError } from '../test/parity.js';

const KERAS = join(import.meta.dirname, '..', '..', '..', 'fixtures-full', 'keras');
const SHAPES = join(KERAS, '..', 'keras-shapes.json');
const present = existsSync(KERAS) && existsSync(SHAPES);
if (!present && !process.env['CI']) console.warn(`Keras parity skipped: ${KERAS} or ${SHAPES} is missing; run tools/fixtures/reference-env.sh, then \`npm run fixtures\``);

const MODELS = { EfficientNetB0: 'efficientnet-b0', EfficientNetB3: 'efficientnet-b3', EfficientNetV2B0: 'efficientnetv2-b0', EfficientNetV2S: 'efficientnetv2-s' } as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Keras fixtures', () => {
  it.runIf(Boolean(process.env['CI']))('exist on CI', () => {
    expect(existsSync(KERAS), KERAS).toBe(true);
    expect(existsSync(SHAPES), SHAPES).toBe(true);
  });
});

/** Every keras.applications EfficientNet, as keras_shapes.py writes them. */
const KERAS_PRESETS = [...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `efficientnet-b${i}`), ...[0, 1, 2, 3].map((i) => `efficientnetv2-b${i}`), 'efficientnetv2-s', 'efficientnetv2-m', 'efficientnetv2-l'];

describe.skipIf(!present)('Keras weights files, tensor by tensor', () => {
  const models = present ? (JSON.parse(readFileSync(SHAPES, 'utf8')) as { models: Record<string, { keras: string; tensors: Record<string, number[]> }> }).models : {};

  it('cover EfficientNetB0-B7 and EfficientNetV2B0-B3/S/M/L', () => {
    expect(Object.keys(models).sort()).toEqual([...KERAS_PRESETS].sort());
  });

  it.each(KERAS_PRESETS)('%s: every tensor of the Keras file has its effnet tensor, of the same shape', (name) => {
    const { tensors } = models[name]!;
    const model = new EfficientNet(preset(name, kerasOverrides(name)) as ModelSpec, { shapeOnly: true });
    const ours = Object.fromEntries(model.store.list().map((entry) => [entry.name, entry.shape.join(',')]));
    const problems: string[] = [];
    const used = new Set(['layers/normalization/vars/0', 'layers/normalization/vars/1', 'layers/normalization/vars/2']);
    for (const [mine, path] of kerasNames(model.spec)) {
      used.add(path);
      if (tensors[path]?.join(',') !== ours[mine]) problems.push(`${path} [${tensors[path]?.join(', ') ?? 'missing'}] vs ${mine} [${ours[mine]}]`);
    }
    for (const path of Object.keys(tensors)) if (!used.has(path)) problems.push(`${path} has no effnet tensor`);
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!present)('Keras checkpoints', () => {
  it.each(Object.entries(MODELS))('%s.weights.h5 imported with importKeras gives Keras’ logits on 0-255 pixels', async (file, name) => {
    const reference = readSafetensors(new Uint8Array(readFileSync(join(KERAS, `${file}.reference.safetensors`))));
    const input = reference.get('input')!;
    const size = input.shape[1]!;
    const model = new EfficientNet(preset(name, { ...kerasOverrides(name), resolution: size }) as ModelSpec);
    const pixels = tf.tensor4d(input.values, input.shape as [number, number, number, number]);
    try {
      const { preprocessing } = await importKeras(model, new Uint8Array(readFileSync(join(KERAS, `${file}.weights.h5`))));
      const mean = name === 'efficientnetv2-s' ? [128 / 255, 128 / 255, 128 / 255] : [0.485, 0.456, 0.406];
      preprocessing.mean.forEach((m, i) => expect(m).toBeCloseTo(mean[i]!, 6));
      const logits = tf.tidy(() => model.predict(preprocess(pixels, preprocessing)));
      const got = await logits.data();
      logits.dispose();
      const { maxAbs, tolerance } = maxAbsError(got, reference.get('logits')!.values);
      console.log(`${file} at ${size} px: logits max-abs ${maxAbs.toExponential(2)} (tolerance ${tolerance.toExponential(2)})`);
      expect(maxAbs).toBeLessThan(tolerance);
    } finally {
      pixels.dispose();
      model.dispose();
    }
  }, 300_000);

  it('names the wrong preset’s missing and misshaped tensors and writes nothing', async () => {
    const model = new EfficientNet(preset('efficientnet-b1', kerasOverrides('efficientnet-b1')) as ModelSpec);
    try {
      const before = Array.from(model.namedVariables()['stem.conv.kernel']!.dataSync());
      const error = await importKeras(model, new Uint8Array(readFileSync(join(KERAS, 'EfficientNetB0.weights.h5')))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EffnetWeightsError);
      expect((error as Error).message).toMatch(/problem\(s\) for efficientnet-b1: .*missing 'layers\/conv2d_/);
      expect(Array.from(model.namedVariables()['stem.conv.kernel']!.dataSync())).toEqual(before);
    } finally {
      model.dispose();
    }
  });
});

describe('importKeras on a file that is not HDF5', () => {
  it('throws EffnetWeightsError naming the file kind', async () => {
    const model = new EfficientNet(preset('efficientnet-b0', { numClasses: 10 }) as ModelSpec, { seed: 1 });
    try {
      await expect(importKeras(model, new TextEncoder().encode('not hdf5'))).rejects.toThrow(/not an HDF5 file/);
    } finally {
      model.dispose();
    }
  });
});

// Parity with torchvision 0.14: small networks with seeded random weights and randomised BN
// statistics (tools/fixtures/torchvision_reference.py), imported through importTorchvision, give
// torchvision's eval-mode logits and feature maps on the cpu and wasm backends.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cost } from '@effnet/scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { importTorchvision } from './import-weights.js';
import { readSafetensors } from './safetensors.js';
import { FIXTURE_SPECS, FIXTURES, expectTorchvisionOutputs, referenceKeys } from '../test/parity.js';

setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);

const SPECS = FIXTURE_SPECS;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['cpu', 'wasm'])('torchvision parity on %s', (backend) => {
  it.each(Object.keys(SPECS))('%s: imported weights give torchvision’s logits and feature maps', async (name) => {
    await tf.setBackend(backend);
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, `${name}.safetensors`)));
    const tensors = readSafetensors(bytes);
    const spec = SPECS[name as keyof typeof SPECS]();
    const model = new EfficientNet(spec);
    try {
      expect(model.countParams()).toBe(cost(spec).params);
      importTorchvision(model, bytes, { ignore: referenceKeys(tensors) });
      expect(await expectTorchvisionOutputs(model, tensors)).toBe(name === 'b0-narrow' ? 5 : 3);
    } finally {
      model.dispose();
    }
  });
});

describe('importTorchvision', () => {
  it('reports every missing, unexpected and misshaped tensor in one EffnetWeightsError', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'b0-narrow.safetensors')));
    const wrong = new EfficientNet(SPECS['v2-tiny']());
    try {
      expect(() => importTorchvision(wrong, bytes)).toThrow(EffnetWeightsError);
      expect(() => importTorchvision(wrong, bytes)).toThrow(/problem\(s\): .*missing .*unexpected 'input'/);
      // A failed import writes nothing: the stem keeps its initial weights.
      const stem = wrong.namedVariables()['stem.conv.kernel']!;
      const before = Array.from(stem.dataSync());
      expect(() => importTorchvision(wrong, bytes)).toThrow(EffnetWeightsError);
      expect(Array.from(stem.dataSync())).toEqual(before);
    } finally {
      wrong.dispose();
    }
  });
});

// Parity with torchvision 0.14: small networks with seeded random weights and randomised BN
// statistics (tools/fixtures/torchvision_reference.py), imported through importTorchvision, give
// torchvision's eval-mode logits and feature maps on the cpu and wasm backends.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cost, modelSpecFromStages, preset, scale, type ModelSpec } from '@effnet/scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { importTorchvision } from './import-weights.js';
import { readSafetensors } from './safetensors.js';
import { expectTorchvisionOutputs, referenceKeys } from './test-parity.js';

setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);

const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

const SPECS: Record<string, () => ModelSpec> = {
  'b0-narrow': () => scale(preset('efficientnet-b0', { numClasses: 10 }), { width: 0.25, depth: 0.25, resolution: 1 }),
  'v2-tiny': () =>
    modelSpecFromStages(['r1_k3_s1_e1_i16_o16_c1', 'r2_k3_s2_e4_i16_o24_c1', 'r2_k3_s2_e4_i24_o32_se0.25', 'r1_k3_s1_e6_i32_o40_se0.25'], {
      name: 'v2-tiny', family: 'efficientnetv2', convention: 'torchvision', head: { channels: 128, scaleWithWidth: false },
      batchNorm: { eps: 1e-3, momentum: 0.1 }, numClasses: 10, resolution: 64,
    }),
};

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
    const spec = SPECS[name]!();
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
    const wrong = new EfficientNet(SPECS['v2-tiny']!());
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

// Full-size parity with torchvision 0.14: efficientnet_b0 and efficientnet_v2_s at 224 with seeded
// random weights and randomised BN statistics (fixtures-full/, written by `npm run fixtures`, i.e.
// tools/fixtures/torchvision_reference.py --full), imported through importTorchvision, give
// torchvision's eval-mode logits and feature maps on the cpu and wasm backends. A network whose fixture file is
// missing is skipped with a printed reason, unless CI is set, where it fails.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cost, preset } from '@effnet/scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { importTorchvision } from './import-weights.js';
import { readSafetensors } from './safetensors.js';
import { expectTorchvisionOutputs, referenceKeys } from '../test/parity.js';

setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);

const FULL = join(import.meta.dirname, '..', '..', '..', 'fixtures-full');
const NETWORKS = { efficientnet_b0: 'efficientnet-b0', efficientnet_v2_s: 'efficientnetv2-s' } as const;
const fixture = (file: string) => join(FULL, `${file}.safetensors`);
const missing = Object.keys(NETWORKS).filter((file) => !existsSync(fixture(file)));
if (missing.length > 0 && !process.env['CI']) {
  console.warn(`full-size torchvision parity skipped for ${missing.join(', ')}: ${missing.map(fixture).join(', ')} missing; run \`npm run fixtures\` to write them`);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('full-size fixtures', () => {
  it.runIf(Boolean(process.env['CI']))('exist on CI', () => {
    expect(missing).toEqual([]);
  });
});

describe.each(['cpu', 'wasm'])('full-size torchvision parity on %s', (backend) => {
  it.for(Object.entries(NETWORKS) as [string, (typeof NETWORKS)[keyof typeof NETWORKS]][])('%s at 224: imported weights give torchvision’s logits and feature maps at strides 2-32', { timeout: 240_000 }, async ([file, name], context) => {
    if (missing.includes(file)) return context.skip();
    await tf.setBackend(backend);
    const bytes = new Uint8Array(readFileSync(fixture(file)));
    const tensors = readSafetensors(bytes);
    const spec = preset(name, {});
    const model = new EfficientNet(spec);
    try {
      expect(model.countParams()).toBe(cost(spec).params);
      importTorchvision(model, bytes, { ignore: referenceKeys(tensors) });
      expect(await expectTorchvisionOutputs(model, tensors)).toBe(5);
    } finally {
      model.dispose();
    }
  });
});

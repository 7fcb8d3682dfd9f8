// toStateDict: torchvision's and timm's EfficientNets accept the files with
// load_state_dict(strict=True) and give effnet's logits within 1e-4 (Python reference packages
// through EFFNET_REFERENCE_PYTHON); importWeights reads them back bit for bit; bad requests are refused.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EfficientDet, EfficientNet, importWeights, readSafetensors, writeSafetensors } from '@effnet/models';
import { detectorPreset, preset, type ModelSpec } from '@effnet/scaling';
import { maxAbsDiff } from '../../test/parity.js';
import { randomiseBatchNorms } from '../../test/randomise-state.js';
import { REFERENCE_PYTHON, SCRIPTS, pythonHas } from '../../test/reference-python.js';
import { EffnetExportError } from '../errors.js';
import { toStateDict } from './to-state-dict.js';

await tf.setBackend('cpu');
const work = mkdtempSync(join(tmpdir(), 'effnet-torch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const haveTorch = pythonHas(['torch', 'torchvision', 'safetensors'], 'torchvision load_state_dict parity');
const haveTimm = pythonHas(['torch', 'timm', 'safetensors'], 'timm load_state_dict parity');

function classifier(name: string): EfficientNet {
  const model = new EfficientNet(preset(name, { numClasses: 10 }) as ModelSpec, { seed: 8 });
  randomiseBatchNorms(model.store, 5);
  return model;
}

async function torchLogits(library: string, arch: string, model: EfficientNet, bytes: Uint8Array): Promise<{ diff: number; stdout: string }> {
  const weights = join(work, `${arch}-${library}.safetensors`);
  writeFileSync(weights, bytes);
  const x = tf.randomUniform([2, 64, 64, 3], -2, 2, 'float32', 6) as tf.Tensor4D;
  const nchw = tf.transpose(x, [0, 3, 1, 2]);
  writeFileSync(join(work, 'images.safetensors'), writeSafetensors(new Map([['images', { shape: nchw.shape, values: nchw.dataSync() }]])));
  const out = join(work, 'logits.safetensors');
  const run = spawnSync(REFERENCE_PYTHON, [join(SCRIPTS, 'torch_logits.py'), library, arch, '10', weights, join(work, 'images.safetensors'), out], { encoding: 'utf8', timeout: 300_000 });
  expect(run.stderr.replace(/.*UserWarning.*\n.*\n?/g, '')).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  const want = model.predict(x);
  const diff = maxAbsDiff(readSafetensors(new Uint8Array(readFileSync(out))).get('logits')!.values, want.dataSync());
  tf.dispose([x, nchw, want]);
  return { diff, stdout: run.stdout };
}

describe('toStateDict in PyTorch', () => {
  it.skipIf(!haveTorch).each([
    ['efficientnet-b0', 'efficientnet_b0'],
    ['efficientnetv2-s', 'efficientnet_v2_s'],
  ])('%s: torchvision %s loads it strictly and gives the logits within 1e-4', async (name, arch) => {
    const model = classifier(name);
    const { diff, stdout } = await torchLogits('torchvision', arch, model, toStateDict(model, 'torchvision'));
    expect(stdout).toMatch(/strict=True/);
    expect(diff).toBeLessThan(1e-4);
    model.dispose();
  });

  it.skipIf(!haveTimm)('efficientnet-b0: timm efficientnet_b0 loads it strictly and gives the logits within 1e-4', async () => {
    const model = classifier('efficientnet-b0');
    const { diff } = await torchLogits('timm', 'efficientnet_b0', model, toStateDict(model, 'timm'));
    expect(diff).toBeLessThan(1e-4);
    model.dispose();
  });
});

describe('toStateDict files', () => {
  it.each(['torchvision', 'timm'] as const)('importWeights reads the %s file back into an equal model', (format) => {
    const model = classifier('efficientnet-b0');
    const copy = new EfficientNet(model.spec, { seed: 99 });
    expect(importWeights(copy, toStateDict(model, format))).toBe(format);
    const a = model.namedVariables();
    const b = copy.namedVariables();
    for (const name of Object.keys(a)) expect(maxAbsDiff(a[name]!.dataSync(), b[name]!.dataSync()), name).toBe(0);
    model.dispose();
    copy.dispose();
  });

  it('refuses a detector, a backbone and an unknown format', () => {
    const detector = new EfficientDet(detectorPreset('efficientdet-d0'), { shapeOnly: true });
    expect(() => toStateDict(detector as never, 'torchvision')).toThrow(/EfficientNet classifiers only/);
    const backbone = new EfficientNet(preset('efficientnet-b0'), { featuresOnly: true, shapeOnly: true });
    expect(() => toStateDict(backbone, 'timm')).toThrow(/featuresOnly/);
    const model = classifier('efficientnet-b0');
    expect(() => toStateDict(model, 'keras' as never)).toThrow(EffnetExportError);
    model.dispose();
  });
});

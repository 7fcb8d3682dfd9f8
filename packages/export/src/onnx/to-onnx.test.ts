// toOnnx against effnet's cpu backend: onnxruntime-node gives the logits of b0, b3, v2-s, v2-b0 and
// a 'same'-padded b0 (odd input size, so the pads are asymmetric) within 1e-4, and EfficientDet-D0's
// raw outputs; dynamic and static batch, NCHW input, auto_pad, opset 17; the official checker
// (full check) accepts every file; bad models and options are refused with typed errors.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfficientDet, EfficientNet } from '@effnet/models';
import { detectorPreset, preset, type ModelSpec, type PresetOverrides } from '@effnet/scaling';
import { maxAbsDiff, runOnnx } from '../../test/parity.js';
import { randomiseBatchNorms } from '../../test/randomise-state.js';
import { REFERENCE_PYTHON, SCRIPTS, pythonHas } from '../../test/reference-python.js';
import { EffnetExportError } from '../errors.js';
import { toOnnx } from './to-onnx.js';

const work = mkdtempSync(join(tmpdir(), 'effnet-onnx-'));
const written: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function save(name: string, bytes: Uint8Array): void {
  const path = join(work, `${name}.onnx`);
  writeFileSync(path, bytes);
  written.push(path);
}

function classifier(name: string, overrides: PresetOverrides = {}): EfficientNet {
  const model = new EfficientNet(preset(name, { numClasses: 10, ...overrides }) as ModelSpec, { seed: 3 });
  randomiseBatchNorms(model.store, 7);
  return model;
}

describe('toOnnx in onnxruntime-node', () => {
  it.each([
    ['efficientnet-b0', {}, 64],
    ['efficientnet-b3', {}, 64],
    ['efficientnet-b0', { padding: 'same' }, 65],
    ['efficientnetv2-s', {}, 64],
    ['efficientnetv2-b0', {}, 63],
  ] as const)('%s %j at %i: logits within 1e-4 of the cpu backend, batch 2 through a dynamic batch', async (name, overrides, size) => {
    const model = classifier(name, overrides);
    const bytes = toOnnx(model, { height: size });
    save(`${name}-${model.spec.padding}-${size}`, bytes);
    const x = tf.randomUniform([2, size, size, 3], -2, 2, 'float32', 11) as tf.Tensor4D;
    const want = model.predict(x);
    const got = await runOnnx(bytes, x);
    expect(got['logits']!.dims).toEqual([2, 10]);
    expect(maxAbsDiff(got['logits']!.data, want.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, want]);
    model.dispose();
  });

  it('EfficientDet-D0 at 128: raw class logits and box deltas within 1e-4', async () => {
    const detector = new EfficientDet(detectorPreset('efficientdet-d0', { numClasses: 6 }), { seed: 5 });
    randomiseBatchNorms(detector.store, 2);
    const bytes = toOnnx(detector, { height: 128 });
    save('efficientdet-d0-128', bytes);
    const x = tf.randomUniform([1, 128, 128, 3], -2, 2, 'float32', 4) as tf.Tensor4D;
    const want = detector.forward(x, { training: false });
    const got = await runOnnx(bytes, x);
    expect(got['classLogits']!.dims).toEqual(want.classLogits.shape);
    expect(got['boxDeltas']!.dims).toEqual(want.boxDeltas.shape);
    expect(maxAbsDiff(got['classLogits']!.data, want.classLogits.dataSync())).toBeLessThan(1e-4);
    expect(maxAbsDiff(got['boxDeltas']!.data, want.boxDeltas.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, want.classLogits, want.boxDeltas]);
    detector.dispose();
  });

  it("writes 'same' as auto_pad SAME_UPPER on request, static batch, NCHW input and opset 17 with the same logits", async () => {
    const model = classifier('efficientnetv2-b0', { numClasses: 4 });
    const x = tf.randomUniform([1, 45, 45, 3], -2, 2, 'float32', 2) as tf.Tensor4D;
    const logits = model.predict(x);
    const want = logits.dataSync();
    const auto = toOnnx(model, { height: 45, samePadding: 'auto-pad', batch: 1, inputLayout: 'nchw', opset: 17 });
    save('v2-b0-auto-pad-nchw', auto);
    expect(new TextDecoder('latin1').decode(auto)).toContain('SAME_UPPER');
    expect(maxAbsDiff((await runOnnx(auto, x, true))['logits']!.data, want)).toBeLessThan(1e-4);
    const two = tf.zeros([2, 45, 45, 3]) as tf.Tensor4D;
    await expect(runOnnx(auto, two, true)).rejects.toThrow(/dimension/i);
    tf.dispose([x, two, logits]);
    model.dispose();
  });

  it('refuses what it cannot export, naming the field', () => {
    const backbone = new EfficientNet(preset('efficientnet-b0'), { featuresOnly: true, shapeOnly: true });
    expect(() => toOnnx(backbone)).toThrow(EffnetExportError);
    expect(() => toOnnx(backbone)).toThrow(/featuresOnly/);
    const model = classifier('efficientnet-b0', { numClasses: 3 });
    expect(() => toOnnx(model, { opset: 11 })).toThrow(/opset: must be an integer from 13 to 17/);
    expect(() => toOnnx(model, { batch: 0 })).toThrow(/batch: must be a positive integer or 'dynamic'/);
    expect(() => toOnnx(model, { height: -3 })).toThrow(/height: must be an integer/);
    expect(() => toOnnx(model, { quantize: { dtype: 'int4' } as never })).toThrow(/quantize: expected/);
    expect(() => toOnnx({} as never)).toThrow(/expected an EfficientNet classifier or an EfficientDet/);
    const detector = new EfficientDet(detectorPreset('efficientdet-d0'), { shapeOnly: true });
    expect(() => toOnnx(detector, { height: 100 })).toThrow(/multiples of 128/);
    model.dispose();
  });
});

describe('the official ONNX checker', () => {
  it.skipIf(!pythonHas(['onnx'], 'onnx.checker'))('accepts every file written above (full check, with shape inference)', () => {
    expect(written.length).toBeGreaterThanOrEqual(7);
    const run = spawnSync(REFERENCE_PYTHON, [join(SCRIPTS, 'check_onnx.py'), ...written], { encoding: 'utf8', timeout: 300_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(written.length);
    expect(run.stdout).toMatch(/ir=8 opset=13/);
    expect(run.stdout).toMatch(/ir=8 opset=17/);
  });
});

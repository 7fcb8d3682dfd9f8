// importWeights: the name tables cover every variable once; format detection; one error listing
// every missing, unexpected and misshaped tensor; the safetensors dtypes decoded on hand-made
// values. Real timm checkpoints are imported in timm-parity.test.ts.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { importWeights, permuteAxes } from './import-weights.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import { FIXTURE_SPECS, FIXTURES, referenceKeys } from '../test/parity.js';
import { timmNames, torchvisionNames } from './weight-names.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('name tables', () => {
  it('cover every variable of the model exactly once', () => {
    const model = new EfficientNet(FIXTURE_SPECS['b0-narrow'](), { shapeOnly: true });
    const ours = model.store.list().filter((e) => e.name !== 'dropout').map((e) => e.name).sort();
    for (const names of [torchvisionNames(model.spec), timmNames(model.spec)]) {
      expect([...names.keys()].sort()).toEqual(ours);
      expect(new Set([...names.values()].map(([theirs]) => theirs)).size).toBe(names.size);
    }
    expect(timmNames(model.spec).get('blocks.0.dw.conv.kernel')).toEqual(['blocks.0.0.conv_dw.weight', 'depthwise']);
    expect(torchvisionNames(model.spec).get('blocks.0.dw.conv.kernel')).toEqual(['features.1.0.block.0.0.weight', 'depthwise']);
  });
});

describe('import errors', () => {
  it('lists every missing, unexpected and misshaped tensor in one EffnetWeightsError and writes nothing', () => {
    const source = readSafetensors(new Uint8Array(readFileSync(join(FIXTURES, 'v2-tiny.safetensors'))));
    const edited = new Map([...source].filter(([k]) => !referenceKeys(source).includes(k)).map(([k, t]) => [k, { shape: t.shape, values: t.values }]));
    edited.delete('features.0.1.running_var');
    edited.set('extra.weight', { shape: [2], values: new Float32Array(2) });
    edited.set('classifier.1.bias', { shape: [11], values: new Float32Array(11) });
    const bytes = writeSafetensors(edited);
    const model = new EfficientNet(FIXTURE_SPECS['v2-tiny']());
    try {
      const before = Array.from(model.namedVariables()['stem.conv.kernel']!.dataSync());
      let error: unknown;
      try {
        importWeights(model, bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EffnetWeightsError);
      const message = (error as Error).message;
      expect(message).toMatch(/^torchvision state dict: 3 problem\(s\)/);
      expect(message).toContain("missing 'features.0.1.running_var' (for stem.bn.movingVariance)");
      expect(message).toContain("'classifier.1.bias' has shape [11], classifier.bias needs [10]");
      expect(message).toContain("unexpected 'extra.weight'");
      expect(Array.from(model.namedVariables()['stem.conv.kernel']!.dataSync())).toEqual(before);
      expect(() => importWeights(model, writeSafetensors(new Map([['x', { shape: [1], values: [1] }]])))).toThrow(/neither a timm .* nor a torchvision/);
    } finally {
      model.dispose();
    }
  });
});

describe('safetensors dtypes', () => {
  it('decodes F16, BF16, F64, I32 and I64 to float32 and round-trips F32', () => {
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
      d: { dtype: 'F64', shape: [1], data_offsets: [10, 18] },
      i: { dtype: 'I32', shape: [1], data_offsets: [18, 22] },
      l: { dtype: 'I64', shape: [1], data_offsets: [22, 30] },
      __metadata__: { format: 'pt' },
    });
    const head = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + head.length + 30);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(head.length), true);
    bytes.set(head, 8);
    const at = 8 + head.length;
    // F16: 1.0 = 0x3c00, −2.5 = 0xc100, 2^-24 (smallest subnormal) = 0x0001.
    [0x3c00, 0xc100, 0x0001].forEach((h, i) => view.setUint16(at + 2 * i, h, true));
    // BF16: the top half of float32 1.5 (0x3fc00000) and −0.15625 (0xbe200000).
    view.setUint16(at + 6, 0x3fc0, true);
    view.setUint16(at + 8, 0xbe20, true);
    view.setFloat64(at + 10, 0.1, true);
    view.setInt32(at + 18, -7, true);
    view.setBigInt64(at + 22, 123456789n, true);
    const t = readSafetensors(bytes);
    expect(Array.from(t.get('h')!.values)).toEqual([1, -2.5, 2 ** -24]);
    expect(Array.from(t.get('b')!.values)).toEqual([1.5, -0.15625]);
    expect(t.get('d')!.values[0]).toBe(Math.fround(0.1));
    expect(Array.from(t.get('i')!.values)).toEqual([-7]);
    expect(Array.from(t.get('l')!.values)).toEqual([123456792]);
    const round = readSafetensors(writeSafetensors(new Map([['w', { shape: [2, 2], values: [1, -2, 3.5, 1e-8] }]])));
    expect(round.get('w')!.shape).toEqual([2, 2]);
    expect(Array.from(round.get('w')!.values)).toEqual([1, -2, 3.5, Math.fround(1e-8)]);
  });
});

describe('permuteAxes (the layout conversion, done in JavaScript)', () => {
  it('equals tf.transpose for the conv, depthwise and linear permutations and a rank-3 one', () => {
    const cases: [number[], number[]][] = [[[4, 3, 2, 5], [2, 3, 1, 0]], [[6, 1, 3, 3], [2, 3, 0, 1]], [[7, 5], [1, 0]], [[2, 3, 4], [0, 2, 1]]];
    for (const [shape, perm] of cases) {
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 1.5 - 3);
      const expected = tf.tidy(() => tf.transpose(tf.tensor(values, shape), perm).dataSync());
      expect(Array.from(permuteAxes(values, shape, perm))).toEqual(Array.from(expected));
    }
    expect(Array.from(permuteAxes(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

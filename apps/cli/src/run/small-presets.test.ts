// Tests of the small 28×28 presets: the resolved layer table of each (stem stride, block kinds,
// widths, strides, SE), the exact parameter count of the built model, and fall-through to
// @effnet/scaling's presets (and its typed error) for every other name.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { efficientnet } from '@effnet/models';
import { EffnetConfigError } from '@effnet/scaling';
import { resolveSpec, SMALL_PRESETS } from './small-presets.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const layers = (name: string) => {
  const spec = resolveSpec(name, { numClasses: 10, inChannels: 1 });
  return {
    spec,
    table: spec.blocks.map((b) => `${b.kind} ${b.inChannels}→${b.outChannels} e${b.expand} s${b.stride} se${b.seChannels}${b.residual ? ' +' : ''}`),
  };
};

describe('small presets', () => {
  it('lists exactly the two 28×28 presets', () => {
    expect(Object.keys(SMALL_PRESETS)).toEqual(['efficientnetv2-28', 'efficientnetv2-28-lite']);
  });

  it('efficientnetv2-28-lite: stride-1 stem, Fused-MBConv at 28 → 14 → 7, MBConv with SE at 7×7, 192-wide head', () => {
    const { spec, table } = layers('efficientnetv2-28-lite');
    expect(spec.name).toBe('efficientnetv2-28-lite');
    expect([spec.stem.outChannels, spec.stem.stride, spec.head.outChannels, spec.numClasses]).toEqual([16, 1, 192, 10]);
    expect(table).toEqual([
      'fused-mbconv 16→32 e1 s2 se0',
      'fused-mbconv 32→32 e1 s1 se0 +',
      'fused-mbconv 32→48 e2 s2 se0',
      'mbconv 48→64 e2 s1 se12',
      'mbconv 64→64 e2 s1 se16 +',
    ]);
  });

  it('efficientnetv2-28 keeps its stride-1 stem and layer table', () => {
    const { spec, table } = layers('efficientnetv2-28');
    expect([spec.stem.outChannels, spec.stem.stride, spec.head.outChannels]).toEqual([16, 1, 256]);
    expect(table).toEqual([
      'fused-mbconv 16→24 e1 s2 se0',
      'fused-mbconv 24→48 e4 s2 se0',
      'mbconv 48→64 e4 s1 se12',
      'mbconv 64→64 e4 s1 se16 +',
    ]);
  });

  it.each([
    ['efficientnetv2-28', 122_406],
    ['efficientnetv2-28-lite', 87_414],
  ])('%s has %i parameters for 10 grey classes, and 28×28 input gives 10 logits', (name, params) => {
    const before = tf.memory().numTensors;
    const model = efficientnet(resolveSpec(name, { numClasses: 10, inChannels: 1 }), { seed: 0 });
    try {
      expect(model.countParams()).toBe(params);
      const logits = tf.tidy(() => model.forward(tf.zeros([2, 28, 28, 1]) as tf.Tensor4D, { training: false }));
      expect(logits.shape).toEqual([2, 10]);
      logits.dispose();
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('other names go to @effnet/scaling: a real preset resolves, an unknown one is an EffnetConfigError', () => {
    expect(resolveSpec('efficientnet-b0', { numClasses: 10, inChannels: 3 }).blocks).toHaveLength(16);
    expect(() => resolveSpec('efficientnetv2-29', { numClasses: 10, inChannels: 1 })).toThrow(EffnetConfigError);
    expect(() => resolveSpec('toString', { numClasses: 10, inChannels: 1 })).toThrow(EffnetConfigError);
  });
});

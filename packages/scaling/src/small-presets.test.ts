// Tests of the small 28×28 presets: the resolved layer table of each (stem stride, block kinds,
// widths, strides, SE), the exact parameter count (models' tests check that the built network
// counts the same), their defaults (10 classes, 1 channel) and overrides.
import { describe, expect, it } from 'vitest';
import { cost } from './cost.js';
import { EffnetConfigError } from './errors.js';
import type { ModelSpec } from './model-spec.js';
import { preset as anyPreset, presetNames } from './presets.js';

const preset = (name: string, overrides?: Parameters<typeof anyPreset>[1]): ModelSpec => anyPreset(name, overrides) as ModelSpec;

const layers = (name: string) => {
  const spec = preset(name);
  return {
    spec,
    table: spec.blocks.map((b) => `${b.kind} ${b.inChannels}→${b.outChannels} e${b.expand} s${b.stride} se${b.seChannels}${b.residual ? ' +' : ''}`),
  };
};

describe('small presets', () => {
  it('are the last two classifier presets, of the custom family, for 10 grey classes by default', () => {
    expect(presetNames().filter((name) => name.endsWith('-28') || name.endsWith('-28-lite'))).toEqual(['efficientnetv2-28', 'efficientnetv2-28-lite']);
    for (const name of ['efficientnetv2-28', 'efficientnetv2-28-lite']) {
      const spec = preset(name);
      expect([spec.family, spec.numClasses, spec.inChannels, spec.resolution, spec.dropPath]).toEqual(['custom', 10, 1, { train: 28, eval: 28 }, 0]);
    }
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
  ])('%s has %i parameters for 10 grey classes', (name, params) => {
    expect(cost(preset(name)).params).toBe(params);
  });

  it('takes the usual overrides: classes, channels; an unknown name is an EffnetConfigError', () => {
    const rgb = preset('efficientnetv2-28-lite', { numClasses: 5, inChannels: 3 });
    expect([rgb.numClasses, rgb.inChannels, rgb.stem.stride]).toEqual([5, 3, 1]);
    expect(() => preset('efficientnetv2-29')).toThrow(EffnetConfigError);
    expect(() => preset('toString')).toThrow(EffnetConfigError);
  });
});

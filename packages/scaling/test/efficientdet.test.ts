// Acceptance: EfficientDet D0-D7x parameters and FLOPs (multiply-adds) within 5 % of the
// google/automl table, D0's parameter count exactly what
// google/automl's TensorFlow model reports, and the BiFPN topology of google/automl's bifpn_config.
import { describe, expect, it } from 'vitest';
import { bifpnNodes, cost, preset, type DetectorPresetName } from '../src/index.js';
import { PUBLISHED } from '../scripts/published-figures.js';

const NAMES: DetectorPresetName[] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `efficientdet-d${i}` as DetectorPresetName).concat('efficientdet-d7x');

describe('EfficientDet against the published table', () => {
  it.each(NAMES)('%s is within 5 % in parameters and FLOPs', (name) => {
    const report = cost(preset(name));
    const published = PUBLISHED[name]!;
    expect(Math.abs(report.params / published.params! - 1)).toBeLessThan(0.05);
    expect(Math.abs(report.macs / published.flops! - 1)).toBeLessThan(0.05);
  });

  it('uses the table’s figures (3.9M/2.5B for D0 … 77.0M/410B for D7x)', () => {
    expect(NAMES.map((name) => [PUBLISHED[name]!.params, PUBLISHED[name]!.flops])).toEqual([
      [3.9e6, 2.5e9], [6.6e6, 6.1e9], [8.1e6, 11e9], [12.0e6, 25e9], [20.7e6, 55e9], [33.7e6, 130e9],
      [51.9e6, 226e9], [51.9e6, 325e9], [77.0e6, 410e9],
    ]);
  });
});

describe('EfficientDet-D0 part by part', () => {
  const report = cost(preset('efficientdet-d0'));

  it('has 3,880,067 parameters, google/automl’s count for its TensorFlow D0', () => {
    expect(report.params).toBe(3_880_067);
  });

  it('splits as backbone, P6 resampling, three BiFPN layers, class and box nets', () => {
    const parts = Object.fromEntries(report.perStage.map((part) => [part.name, part.params]));
    const backbone = report.perStage.filter((part) => part.name === 'stem' || part.name.startsWith('stage')).reduce((s, p) => s + p.params, 0);
    // B0 without the head conv (320·1280 + 2·1280) and classifier (1280·1000 + 1000).
    expect(backbone).toBe(5_288_548 - 412_160 - 1_281_000);
    // P6: conv 1×1 320→64 with bias + BN.
    expect(parts.resample).toBe(320 * 64 + 64 + 128);
    // Per node: depthwise 9·64 + pointwise 64·64 + bias 64 + BN 128; 8 nodes, 19 fusion weights.
    const node = 9 * 64 + 64 * 64 + 64 + 128;
    // Layer 0 also resamples P3 (40 ch) once and P4 (112), P5 (320) twice each: conv 1×1 with bias + BN.
    const inputs = 40 * 64 + 192 + 2 * (112 * 64 + 192) + 2 * (320 * 64 + 192);
    expect(parts['bifpn 0']).toBe(8 * node + 19 + inputs);
    expect(parts['bifpn 1']).toBe(8 * node + 19);
    expect(parts['bifpn 2']).toBe(8 * node + 19);
    // Three shared separable convs with BN per level (5 levels), then a separable prediction conv.
    const repeat = 9 * 64 + 64 * 64 + 64 + 5 * 128;
    expect(parts['class net']).toBe(3 * repeat + 9 * 64 + 64 * 810 + 810);
    expect(parts['box net']).toBe(3 * repeat + 9 * 64 + 64 * 36 + 36);
  });

  it('takes P3-P5 at 64, 32 and 16 pixels of a 512 input and ends every BiFPN layer with P7 at 4', () => {
    const shape = (name: string) => report.perStage.find((part) => part.name === name)!.outShape;
    expect([shape('stage 2'), shape('stage 4'), shape('stage 6')]).toEqual([[40, 64, 64], [112, 32, 32], [320, 16, 16]]);
    expect(shape('resample')).toEqual([64, 4, 4]);
    expect(shape('bifpn 2')).toEqual([64, 4, 4]);
    // The box net's last output is P7's: 9 anchors × 4 coordinates.
    expect(shape('box net')).toEqual([36, 4, 4]);
  });
});

describe('bifpnNodes', () => {
  it('reproduces google/automl’s node list for P3-P7', () => {
    expect(bifpnNodes(3, 7)).toEqual([
      { level: 6, inputs: [3, 4] },
      { level: 5, inputs: [2, 5] },
      { level: 4, inputs: [1, 6] },
      { level: 3, inputs: [0, 7] },
      { level: 4, inputs: [1, 7, 8] },
      { level: 5, inputs: [2, 6, 9] },
      { level: 6, inputs: [3, 5, 10] },
      { level: 7, inputs: [4, 11] },
    ]);
  });

  it('has 2·L − 2 nodes for L levels (P3-P8 for D7x)', () => {
    expect(bifpnNodes(3, 8)).toHaveLength(10);
    expect(bifpnNodes(3, 8).at(-1)).toEqual({ level: 8, inputs: [5, 14] });
  });
});

// Acceptance: parameters equal torchvision 0.14's exactly (the spec's table) and conv + linear
// multiply-adds are within 0.5 % of the forward-hook count of tools/fixtures/count_torchvision.py
// (test/torchvision-counts.json), overall and per part (stem, each stage, head conv, classifier).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cost, preset, type ClassifierPresetName } from '../src/index.js';

interface Part {
  name: string;
  params: number;
  macs: number;
  outShape: number[];
}
interface Counted {
  torchvisionName: string;
  resolution: number;
  params: number;
  macs: number;
  blocks: number;
  batchNorm: { eps: number; momentum: number };
  dropout: number;
  parts: Part[];
}

const counts = JSON.parse(readFileSync(join(import.meta.dirname, 'torchvision-counts.json'), 'utf8')) as { torchvision: string; models: Record<string, Counted> };

// torchvision 0.14's `sum(p.numel() for p in m.parameters())`, as the torchvision documentation lists them.
const SPEC_PARAMS: [ClassifierPresetName, number, number][] = [
  ['efficientnet-b0', 5_288_548, 224],
  ['efficientnet-b1', 7_794_184, 240],
  ['efficientnet-b2', 9_109_994, 260],
  ['efficientnet-b3', 12_233_232, 300],
  ['efficientnet-b4', 19_341_616, 380],
  ['efficientnet-b5', 30_389_784, 456],
  ['efficientnet-b6', 43_040_704, 528],
  ['efficientnet-b7', 66_347_960, 600],
  ['efficientnetv2-s', 21_458_488, 384],
  ['efficientnetv2-m', 54_139_356, 480],
  ['efficientnetv2-l', 118_515_272, 480],
];

describe('parity with torchvision 0.14', () => {
  it('the fixture covers every torchvision-compatible preset, counted by torchvision 0.14', () => {
    expect(counts.torchvision).toMatch(/^0\.14/);
    expect(Object.keys(counts.models).sort()).toEqual(SPEC_PARAMS.map(([name]) => name).sort());
  });

  describe.each(SPEC_PARAMS)('%s', (name, specParams, size) => {
    const counted = counts.models[name]!;
    const spec = preset(name);
    const report = cost(spec, { resolution: size });

    it(`has exactly ${specParams.toLocaleString('en-US')} parameters (spec table and torchvision's count)`, () => {
      expect(report.params).toBe(specParams);
      expect(counted.params).toBe(specParams);
    });

    it(`is counted at its eval size ${size}, which is the size torchvision ran at`, () => {
      expect(spec.resolution.eval).toBe(size);
      expect(counted.resolution).toBe(size);
    });

    it('has multiply-adds within 0.5 % of torchvision’s forward-hook count', () => {
      expect(Math.abs(report.macs / counted.macs - 1)).toBeLessThan(0.005);
      // In fact the analytic count is exact.
      expect(report.macs).toBe(counted.macs);
    });

    it('matches per part: stem, each stage, head conv and classifier', () => {
      const ours = report.perStage.map((part) => [part.params, part.macs, part.outShape]);
      const head = report.perStage.find((part) => part.name === 'head')!;
      const theirs = counted.parts.map((part) => [part.params, part.macs, part.outShape]);
      // torchvision's head conv (the last features entry) ends before pooling; ours includes the pool.
      const last = counted.parts.length - 2;
      expect(ours.slice(0, last)).toEqual(theirs.slice(0, last));
      expect([head.params, head.macs]).toEqual([counted.parts[last]!.params, counted.parts[last]!.macs]);
      const classifier = report.perStage.at(-1)!;
      expect([classifier.name, classifier.params, classifier.macs]).toEqual(['classifier', counted.parts.at(-1)!.params, counted.parts.at(-1)!.macs]);
    });

    it('has torchvision’s block count, BN settings and dropout', () => {
      expect(spec.blocks).toHaveLength(counted.blocks);
      expect(spec.batchNorm).toEqual(counted.batchNorm);
      expect(spec.dropout).toBeCloseTo(counted.dropout, 12);
    });
  });
});

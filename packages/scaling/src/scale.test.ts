// scale(), customSpec() and modelSpecFromStages(): re-resolving stage tables at new multipliers
// reproduces the presets, custom block lists chain and validate, and bad inputs throw typed errors.
import { describe, expect, it } from 'vitest';
import {
  BlockStringError,
  compound,
  cost,
  customSpec,
  EffnetConfigError,
  modelSpecFromStages,
  preset,
  scale,
  STAGE_TABLES,
  type ModelSpec,
} from './index.js';

function configError(run: () => unknown): EffnetConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EffnetConfigError);
    return error as EffnetConfigError;
  }
  throw new Error('expected an EffnetConfigError');
}

describe('scale', () => {
  it('turns B0 into B7 with B7’s multipliers (torchvision rules)', () => {
    const scaled = scale('efficientnet-b0', { width: 2.0, depth: 3.1, resolution: 600 / 224 });
    const b7 = preset('efficientnet-b7');
    expect(scaled.blocks).toEqual(b7.blocks);
    expect(scaled.stem).toEqual(b7.stem);
    expect(scaled.head).toEqual(b7.head);
    expect(scaled.resolution).toEqual({ train: 600, eval: 600 });
    expect(cost(scaled).params).toBe(66_347_960);
  });

  it('turns V2-B0 into V2-B3 (google/automl rules)', () => {
    const scaled = scale(preset('efficientnetv2-b0'), { width: 1.2, depth: 1.4 });
    const b3 = preset('efficientnetv2-b3');
    expect(scaled.blocks).toEqual(b3.blocks);
    expect(scaled.head).toEqual(b3.head);
    expect(scaled.padding).toBe('same');
  });

  it('by φ equals scaling by compound(φ), and φ = 0 keeps the network', () => {
    const b0 = preset('efficientnet-b0');
    const byPhi = scale(b0, { phi: 1 });
    expect(byPhi).toEqual({ ...scale(b0, compound(1)), name: 'efficientnet-b0-phi1' });
    expect(byPhi).toMatchObject({ width: 1.1, depth: 1.2, resolution: { train: 258, eval: 258 } });
    expect(scale(b0, { phi: 0 })).toEqual({ ...b0, name: 'efficientnet-b0-phi0' });
    expect(scale(b0, { phi: 2, coefficients: { alpha: 1.0 } }).depth).toBe(1);
  });

  it('multiplies onto the base’s own multipliers and keeps its options', () => {
    const base = preset('efficientnet-b2', { numClasses: 5, dropout: 0.1 });
    const scaled = scale(base, { width: 1.1 }, { name: 'mine' });
    expect(scaled).toMatchObject({ name: 'mine', width: 1.1 * 1.1, depth: 1.2, numClasses: 5, dropout: 0.1, resolution: { eval: 260 } });
  });

  it('rejects bad multipliers, a negative φ and bases without a stage table', () => {
    const b0 = preset('efficientnet-b0');
    expect(configError(() => scale(b0, { phi: -1 })).field).toBe('phi');
    expect(configError(() => scale(b0, { width: 0 })).field).toBe('width');
    expect(configError(() => scale(b0, { depth: Number.NaN })).field).toBe('depth');
    expect(configError(() => scale(b0, { resolution: -1 })).field).toBe('resolution');
    expect(configError(() => scale(b0, { widht: 2 } as object)).field).toBe('by.widht');
    const { stages: _stages, ...bare } = b0;
    expect(configError(() => scale(bare as ModelSpec, { phi: 1 })).field).toBe('base');
    expect(configError(() => scale('efficientdet-d0', { phi: 1 })).field).toBe('base');
    expect(configError(() => scale('efficientnet-b9', { phi: 1 })).field).toBe('preset');
  });
});

describe('customSpec', () => {
  it('builds a backbone from mixed block strings, chaining stages without i', () => {
    const spec = customSpec({
      blocks: ['r1_k3_s1_e1_i16_o16_c1', 'er_r2_k3_s2_e4_c24', 'ir_r2_k5_s2_e6_c40_se0.25', 'ds_r1_k3_s1_c40_noskip'],
      stem: { channels: 16 },
      head: { channels: 256 },
      numClasses: 10,
      resolution: 64,
    });
    expect(spec.family).toBe('custom');
    expect(spec.blocks.map((b) => [b.kind, b.inChannels, b.outChannels, b.stride, b.residual])).toEqual([
      ['fused-mbconv', 16, 16, 1, true],
      ['fused-mbconv', 16, 24, 2, false],
      ['fused-mbconv', 24, 24, 1, true],
      ['mbconv', 24, 40, 2, false],
      ['mbconv', 40, 40, 1, true],
      ['ds', 40, 40, 1, false],
    ]);
    expect(spec.blocks[3]!.seChannels).toBe(6);
    expect(spec.head.outChannels).toBe(256);
    expect(spec.stages?.map((s) => s.blockString)).toEqual([
      'r1_k3_s1_e1_i16_o16_c1', 'r2_k3_s2_e4_o24_c1', 'r2_k5_s2_e6_o40_se0.25', 'ds_r1_k3_s1_e1_c40_noskip',
    ]);
    // It carries its stage table, so it scales.
    expect(scale(spec, { width: 2 }).blocks.map((b) => b.outChannels)).toEqual([32, 48, 48, 80, 80, 80]);
  });

  it('rounds expanded widths per convention (torchvision _make_divisible, automl in·e)', () => {
    const blocks = ['r1_k3_s1_e1_i20_o20', 'r1_k3_s1_e3_o20'];
    const tv = customSpec({ blocks, convention: 'torchvision', width: 1 });
    // torchvision rounds the stage width itself too: 20 → 24.
    expect(tv.blocks.map((b) => [b.inChannels, b.expandedChannels])).toEqual([[24, 24], [24, 72]]);
    const automl = modelSpecFromStages(blocks.map((b) => b), { convention: 'automl', width: 1, stem: { channels: 20 } });
    expect(automl.blocks.map((b) => [b.inChannels, b.expandedChannels])).toEqual([[24, 24], [24, 72]]);
    const odd = customSpec({ blocks: [{ kind: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 1.5, inChannels: 16, outChannels: 16, skip: true }] });
    expect(odd.blocks[0]!.expandedChannels).toBe(24);
    const oddAutoml = customSpec({ blocks: ['r1_k3_s1_e1.5_i16_o16'], convention: 'automl' });
    expect(oddAutoml.blocks[0]!.expandedChannels).toBe(24);
    const third = customSpec({ blocks: ['r1_k3_s1_e1.25_i16_o16'], convention: 'automl' });
    expect(third.blocks[0]!.expandedChannels).toBe(20);
    expect(customSpec({ blocks: ['r1_k3_s1_e1.25_i16_o16'] }).blocks[0]!.expandedChannels).toBe(24);
  });

  it('rejects malformed blocks, mismatched channels and missing stem width', () => {
    expect(() => customSpec({ blocks: ['r1_k3_s1_e1_i16_o16', 'r2_k3_q2_e4_o24'] })).toThrow(BlockStringError);
    const mismatch = configError(() => customSpec({ blocks: ['r1_k3_s1_e1_i16_o16', 'r1_k3_s2_e4_i32_o24'] }));
    expect(mismatch.field).toBe('stages');
    expect(mismatch.message).toContain('stage 1');
    expect(configError(() => customSpec({ blocks: ['r1_k3_s1_e1_o16'] })).field).toBe('stem.channels');
    expect(configError(() => customSpec({ blocks: [] })).field).toBe('blocks');
    expect(configError(() => customSpec({ blocks: ['r1_k3_s1_e1_i16_o16'], width: 0 })).field).toBe('width');
    expect(configError(() => customSpec({ blocks: ['r1_k3_s1_e1_i16_o16'], head: { channels: 0 } })).field).toBe('head.channels');
    expect(configError(() => customSpec({ blocks: ['r1_k3_s1_e1_i16_o16'], resolution: 1.5 })).field).toBe('resolution');
    expect(configError(() => modelSpecFromStages(STAGE_TABLES.v1, { convention: 'keras' as 'automl' })).field).toBe('convention');
    expect(configError(() => modelSpecFromStages(STAGE_TABLES.v1, { colour: 1 } as object)).field).toBe('colour');
  });
});

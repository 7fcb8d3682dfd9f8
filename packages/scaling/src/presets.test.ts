// Presets: names, resolved structure (torchvision's conventions for V1 and V2-S/M/L, google/automl's
// for the rest), overrides, typed errors, and the EfficientDet rows.
import { describe, expect, it } from 'vitest';
import {
  cost,
  scale,
  detectorPreset,
  EffnetConfigError,
  IMAGENET_PREPROCESSING,
  preset,
  presetNames,
  type DetectorSpec,
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

describe('presetNames', () => {
  it('lists every preset', () => {
    expect(presetNames()).toEqual([
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `efficientnet-b${i}`),
      'efficientnet-l2',
      ...[0, 1, 2, 3].map((i) => `efficientnetv2-b${i}`),
      'efficientnetv2-s',
      'efficientnetv2-m',
      'efficientnetv2-l',
      'efficientnetv2-xl',
      ...[0, 1, 2, 3, 4].map((i) => `efficientnet-lite${i}`),
      'efficientnetv2-28',
      'efficientnetv2-28-lite',
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `efficientdet-d${i}`),
      'efficientdet-d7x',
    ]);
  });

  it('every preset resolves to a JSON-serialisable spec that survives a round trip', () => {
    for (const name of presetNames()) {
      const spec = preset(name);
      expect(spec.name).toBe(name);
      expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
    }
  });
});

describe('EfficientNet-B0 (torchvision 0.14)', () => {
  const b0: ModelSpec = preset('efficientnet-b0');

  it('has the stem, 16 blocks and head of the paper', () => {
    expect(b0.stem).toEqual({ outChannels: 32, kernel: 3, stride: 2 });
    expect(b0.blocks).toHaveLength(16);
    expect(b0.head).toEqual({ outChannels: 1280 });
    expect(b0.blocks.map((b) => b.outChannels)).toEqual([16, 24, 24, 40, 40, 80, 80, 80, 112, 112, 112, 192, 192, 192, 192, 320]);
    expect(b0.blocks.map((b) => b.kernel)).toEqual([3, 3, 3, 5, 5, 3, 3, 3, 5, 5, 5, 5, 5, 5, 5, 3]);
    expect(b0.blocks.map((b) => b.stride)).toEqual([1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]);
    expect(b0.stages?.map((s) => s.repeats)).toEqual([1, 2, 2, 3, 3, 4, 1]);
  });

  it('resolves block 0 and block 1 as torchvision does', () => {
    expect(b0.blocks[0]).toEqual({
      kind: 'mbconv', stage: 0, indexInStage: 0, inChannels: 32, outChannels: 16, expandedChannels: 32, kernel: 3, stride: 1,
      expand: 1, seChannels: 8, residual: false, dropPath: 0,
    });
    expect(b0.blocks[1]).toEqual({
      kind: 'mbconv', stage: 1, indexInStage: 0, inChannels: 16, outChannels: 24, expandedChannels: 96, kernel: 3, stride: 2,
      expand: 6, seChannels: 4, residual: false, dropPath: 0.2 / 16,
    });
    expect(b0.blocks[2]).toMatchObject({ inChannels: 24, expandedChannels: 144, seChannels: 6, stride: 1, residual: true });
  });

  it('gives block i of N the drop-path rate 0.2·i/N', () => {
    expect(b0.dropPath).toBe(0.2);
    b0.blocks.forEach((block, i) => expect(block.dropPath).toBe((0.2 * i) / 16));
  });

  it('carries torchvision’s BN, padding, dropout, sizes and preprocessing', () => {
    expect(b0).toMatchObject({
      family: 'efficientnet', width: 1, depth: 1, inChannels: 3, numClasses: 1000, dropout: 0.2, activation: 'silu',
      batchNorm: { eps: 1e-5, momentum: 0.1 }, padding: 'symmetric', resolution: { train: 224, eval: 224 },
      scaling: { convention: 'torchvision', stemChannels: 32, head: { multipleOfLastStage: 4 } },
    });
    expect(b0.preprocessing).toEqual(IMAGENET_PREPROCESSING);
  });
});

describe('the other presets', () => {
  it('scale V1 widths, depths and heads (B4: 1792, B7: 2560 head channels, 55 blocks)', () => {
    const b4 = preset('efficientnet-b4');
    expect(b4.stem.outChannels).toBe(48);
    expect(b4.head.outChannels).toBe(1792);
    const b7 = preset('efficientnet-b7');
    expect(b7.blocks).toHaveLength(55);
    expect(b7.stem.outChannels).toBe(64);
    expect(b7.head.outChannels).toBe(2560);
    expect(b7.batchNorm).toEqual({ eps: 1e-3, momentum: 0.01 });
    expect(b7.resolution).toEqual({ train: 600, eval: 600 });
    expect(b7.dropout).toBe(0.5);
  });

  it('resolve B8 and L2 with google/automl’s rules and same padding', () => {
    const b8 = preset('efficientnet-b8');
    expect(b8).toMatchObject({ padding: 'same', width: 2.2, depth: 3.6, resolution: { train: 672, eval: 672 }, head: { outChannels: 2816 } });
    expect(b8.scaling?.convention).toBe('automl');
    const l2 = preset('efficientnet-l2');
    expect(l2).toMatchObject({ padding: 'same', stem: { outChannels: 136 }, head: { outChannels: 5504 } });
  });

  it('resolve V2-S as torchvision: 40 blocks, fused stages without expansion conv in stage 0, head 1280', () => {
    const s = preset('efficientnetv2-s');
    expect(s.blocks).toHaveLength(40);
    expect(s.blocks[0]).toMatchObject({ kind: 'fused-mbconv', inChannels: 24, outChannels: 24, expandedChannels: 24, seChannels: 0, residual: true });
    expect(s.blocks[2]).toMatchObject({ kind: 'fused-mbconv', inChannels: 24, outChannels: 48, expandedChannels: 96, stride: 2 });
    expect(s.blocks[10]).toMatchObject({ kind: 'mbconv', inChannels: 64, outChannels: 128, expandedChannels: 256, seChannels: 16 });
    expect(s).toMatchObject({ head: { outChannels: 1280 }, padding: 'symmetric', batchNorm: { eps: 1e-3, momentum: 0.1 }, resolution: { train: 300, eval: 384 } });
  });

  it('resolve V2-B0…B3 and XL with google/automl’s rules', () => {
    const b3 = preset('efficientnetv2-b3');
    expect(b3).toMatchObject({ stem: { outChannels: 40 }, head: { outChannels: 1536 }, padding: 'same', resolution: { train: 240, eval: 300 } });
    const xl = preset('efficientnetv2-xl');
    expect(xl.blocks).toHaveLength(100);
    expect(xl.preprocessing.mean).toEqual([128 / 255, 128 / 255, 128 / 255]);
    expect(preset('efficientnetv2-b0').preprocessing).toEqual(IMAGENET_PREPROCESSING);
  });

  it('resolve V2-B3’s first stage to 16 channels: V2’s round_filters may round down by more than 10 %', () => {
    const b3 = preset('efficientnetv2-b3');
    expect(b3.blocks[0]).toMatchObject({ inChannels: 40, outChannels: 16 });
    expect(cost(b3).params).toBe(14_358_406);
  });

  it('resolve EfficientNet-Lite as TensorFlow’s lite models: ReLU6, no SE, stem 32 and head 1280 at every width, first and last stage repeats fixed', () => {
    const lite4 = preset('efficientnet-lite4');
    expect(lite4).toMatchObject({ activation: 'relu6', stem: { outChannels: 32 }, head: { outChannels: 1280 }, padding: 'same', batchNorm: { eps: 1e-3 } });
    expect(lite4.blocks.every((block) => block.seChannels === 0)).toBe(true);
    expect(lite4.stages!.map((stage) => stage.repeats)).toEqual([1, 4, 4, 6, 6, 8, 1]);
    expect(lite4.preprocessing.mean).toEqual([0.5, 0.5, 0.5]);
    // Scaling a Lite spec keeps its fixed stem and end stages.
    const wider = scale(lite4, { width: 1.5, depth: 2 });
    expect(wider.stem.outChannels).toBe(32);
    expect([wider.stages![0]!.repeats, wider.stages![6]!.repeats]).toEqual([1, 1]);
    expect([0, 1, 2, 3, 4].map((i) => cost(preset(`efficientnet-lite${i}`)).params)).toEqual([4_652_008, 5_416_680, 6_092_072, 8_197_096, 13_006_568]);
  });

  it('return a fresh object each call', () => {
    const a = preset('efficientnet-b0');
    a.blocks[0]!.outChannels = 999;
    expect(preset('efficientnet-b0').blocks[0]!.outChannels).toBe(16);
  });
});

describe('overrides', () => {
  it('apply numClasses, inChannels, padding, dropout, dropPath, resolution and batchNorm', () => {
    const spec = preset('efficientnet-b0', {
      numClasses: 10, inChannels: 1, padding: 'same', dropout: 0.1, dropPath: 0.1, resolution: 64, batchNorm: { eps: 1e-3, momentum: 0.01 },
    });
    expect(spec).toMatchObject({ numClasses: 10, inChannels: 1, padding: 'same', dropout: 0.1, dropPath: 0.1, resolution: { train: 64, eval: 64 } });
    expect(spec.blocks[15]!.dropPath).toBeCloseTo((0.1 * 15) / 16, 15);
    // The classifier and stem shrink: 1280·1000+1000 → 1280·10+10, 32·3·9 → 32·1·9.
    expect(cost(spec).params).toBe(5_288_548 - 1_281_000 + 12_810 - 32 * 2 * 9);
    expect(preset('efficientnet-b0', { resolution: { train: 192, eval: 256 } }).resolution).toEqual({ train: 192, eval: 256 });
    expect(preset('efficientnet-b0', { numClasses: undefined }).numClasses).toBe(1000);
  });

  it('reject bad values with the field named', () => {
    expect(configError(() => preset('efficientnet-b0', { resolution: 0 })).field).toBe('resolution');
    expect(configError(() => preset('efficientnet-b0', { resolution: 224.5 })).field).toBe('resolution');
    expect(configError(() => preset('efficientnet-b0', { resolution: -224 })).field).toBe('resolution');
    expect(configError(() => preset('efficientnet-b0', { resolution: { train: 0, eval: 224 } })).field).toBe('resolution.train');
    expect(configError(() => preset('efficientnet-b0', { numClasses: -1 })).field).toBe('numClasses');
    expect(configError(() => preset('efficientnet-b0', { dropout: 1 })).field).toBe('dropout');
    expect(configError(() => preset('efficientnet-b0', { dropPath: -0.1 })).field).toBe('dropPath');
    expect(configError(() => preset('efficientnet-b0', { padding: 'valid' as 'same' })).field).toBe('padding');
    expect(configError(() => preset('efficientnet-b0', { batchNorm: { eps: 1e-3, momentum: 0.99 * 2 } })).field).toBe('batchNorm.momentum');
    expect(configError(() => preset('efficientnet-b0', { numclasses: 10 } as object)).field).toBe('overrides.numclasses');
  });
});

describe('unknown presets', () => {
  it('throw EffnetConfigError listing the known names', () => {
    const error = configError(() => preset('b9'));
    expect(error.field).toBe('preset');
    expect(error.message).toContain("unknown preset 'b9'");
    for (const name of presetNames()) expect(error.message).toContain(name);
  });

  it('suggest the full name for a short one', () => {
    expect(configError(() => preset('b0')).message).toContain("did you mean 'efficientnet-b0'?");
  });
});

describe('EfficientDet presets (google/automl)', () => {
  it('resolve D0 with a B0 backbone without classifier and P3-P5 at blocks 4, 10, 15', () => {
    const d0: DetectorSpec = preset('efficientdet-d0');
    expect(d0).toMatchObject({
      family: 'efficientdet', phi: 0, backboneLevels: [4, 10, 15], minLevel: 3, maxLevel: 7, resolution: 512, numClasses: 90,
      bifpn: { channels: 64, layers: 3, fusion: 'fast' }, head: { layers: 3 }, padding: 'same', activation: 'silu',
      batchNorm: { eps: 1e-3, momentum: 0.01 },
    });
    expect(d0.backbone).toMatchObject({ name: 'efficientnet-b0', numClasses: 0, padding: 'same', resolution: { train: 512, eval: 512 } });
    expect(d0.backbone.blocks.map((b) => b.outChannels).filter((_, i) => d0.backboneLevels.includes(i))).toEqual([40, 112, 320]);
    expect(d0.anchors.scales).toEqual([1, 2 ** (1 / 3), 2 ** (2 / 3)]);
    expect(d0.anchors.aspectRatios).toEqual([[1, 1], [1.4, 0.7], [0.7, 1.4]]);
  });

  it('follow the compound-scaling table: D_bifpn = 3 + φ up to 8, D_head = 3 + ⌊φ/3⌋', () => {
    const rows = ([0, 1, 2, 3, 4, 5, 6, 7] as const).map((i) => preset(`efficientdet-d${i}`));
    expect(rows.map((d) => d.bifpn.channels)).toEqual([64, 88, 112, 160, 224, 288, 384, 384]);
    expect(rows.map((d) => d.bifpn.layers)).toEqual([3, 4, 5, 6, 7, 7, 8, 8]);
    expect(rows.map((d) => d.head.layers)).toEqual([3, 3, 3, 4, 4, 4, 5, 5]);
    expect(rows.map((d) => d.resolution)).toEqual([512, 640, 768, 896, 1024, 1280, 1280, 1536]);
    expect(rows.map((d) => d.backbone.name)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b6'].map((b) => `efficientnet-${b}`));
    expect(rows.map((d) => d.bifpn.fusion)).toEqual(['fast', 'fast', 'fast', 'fast', 'fast', 'fast', 'sum', 'sum']);
    expect(rows[7]!.anchors.anchorScale).toBe(5);
    const d7x = preset('efficientdet-d7x');
    expect(d7x).toMatchObject({ maxLevel: 8, anchors: { anchorScale: 4 }, backbone: { name: 'efficientnet-b7' } });
  });

  it('take overrides, and reject dropout and unknown names', () => {
    const d0 = detectorPreset('efficientdet-d0', { numClasses: 20, resolution: 384, padding: 'symmetric' });
    expect(d0).toMatchObject({ numClasses: 20, resolution: 384, padding: 'symmetric', backbone: { padding: 'symmetric' } });
    // The class prediction conv loses 9·70 outputs of 64 + 1 weights each.
    expect(cost(d0).params).toBe(3_880_067 - 9 * 70 * 65);
    expect(configError(() => preset('efficientdet-d0', { dropout: 0.2 })).field).toBe('overrides.dropout');
    expect(configError(() => preset('efficientdet-d0', { numClasses: 0 })).field).toBe('numClasses');
    expect(configError(() => detectorPreset('efficientnet-b0')).message).toContain('efficientdet-d7x');
  });
});

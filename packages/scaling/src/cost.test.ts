// cost() on a network small enough to count by hand: parameters, multiply-adds, per-part figures,
// both activation-memory definitions, padding conventions, batch scaling and typed errors.
import { describe, expect, it } from 'vitest';
import { cost, customSpec, EffnetConfigError, preset } from './index.js';

function configError(run: () => unknown): EffnetConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EffnetConfigError);
    return error as EffnetConfigError;
  }
  throw new Error('expected an EffnetConfigError');
}

// stem 3→8 (k3 s2) · one MBConv e1 8→8 with SE 2 and a residual · head 8→16 · linear 16→4, at 8×8.
const tiny = customSpec({ blocks: ['r1_k3_s1_e1_i8_o8_se0.25'], head: { channels: 16 }, numClasses: 4, resolution: 8 });

describe('cost of a hand-counted network', () => {
  const report = cost(tiny);

  it('counts parameters and multiply-adds exactly', () => {
    // stem: conv 8·3·9 = 216, BN 16. block: dw 8·9 = 72, BN 16, SE 8·2+2 and 2·8+8, project 64, BN 16.
    // head: conv 128, BN 32. classifier: 16·4 + 4.
    expect(report.params).toBe(216 + 16 + (72 + 16 + 18 + 24 + 64 + 16) + (128 + 32) + 68);
    // At 4×4 after the stem: stem 8·16·27, dw 8·16·9, SE 16 + 16, project 8·16·8, head 16·16·8, linear 64.
    expect(report.macs).toBe(3456 + (1152 + 16 + 16 + 1024) + 2048 + 64);
  });

  it('reports every part and block', () => {
    expect(report.perStage.map((p) => [p.name, p.params, p.macs, p.outShape])).toEqual([
      ['stem', 232, 3456, [8, 4, 4]],
      ['stage 0', 210, 2208, [8, 4, 4]],
      ['head', 160, 2048, [16, 1, 1]],
      ['classifier', 68, 64, [4, 1, 1]],
    ]);
    expect(report.perBlock).toEqual([
      { name: 'block 0', index: 0, stage: 0, kind: 'mbconv', params: 210, macs: 2208, outShape: [8, 4, 4], trainingBytes: report.perStage[1]!.trainingBytes },
    ]);
  });

  it('sums the tensors saved for backward (training) and the live peak (inference)', () => {
    // Saved elements: image 192; stem conv out, BN out, SiLU out 3×128; dw conv out, BN out 2×128;
    // SE: pooled 8, fc1 out 2, SiLU out 2, sigmoid out 8; the gated tensor 128 (mul input), the mul out 128,
    // project out 128, residual sum 128 (head conv input); head conv out and BN out 2×256; pooled 16.
    expect(report.activations.training).toBe(4 * (192 + 128 * 9 + 20 + 512 + 16));
    // The peak is at the head's BN and SiLU: the 256-element input and output.
    expect(report.activations.inference).toBe(4 * 512);
    expect(report.perStage.reduce((sum, part) => sum + part.trainingBytes, 0)).toBe(report.activations.training);
  });

  it('scales MACs and activations with the batch, not parameters', () => {
    const batch = cost(tiny, { batch: 3 });
    expect(batch).toMatchObject({ batch: 3, params: report.params, macs: 3 * report.macs });
    expect(batch.activations).toEqual({ inference: 3 * report.activations.inference, training: 3 * report.activations.training });
    expect(batch.perStage.map((p) => p.macs)).toEqual(report.perStage.map((p) => 3 * p.macs));
  });

  it('uses the resolution asked for, and the spec’s eval size by default', () => {
    expect(report.resolution).toBe(8);
    const larger = cost(tiny, { resolution: 16 });
    // Every map-sized term grows 4×; the SE convs (16 + 16) and the classifier (64) act on pooled vectors.
    expect(larger.macs).toBe(4 * (report.macs - 32 - 64) + 32 + 64);
    expect(cost(preset('efficientnetv2-s')).resolution).toBe(384);
    expect(cost(preset('efficientdet-d1')).resolution).toBe(640);
  });

  it('follows the padding convention for output sizes (a 2×2 stride-2 stem on 7 pixels)', () => {
    const blocks = ['r1_k3_s1_e1_i8_o8'];
    const same = cost(customSpec({ blocks, stem: { kernel: 2 }, padding: 'same', resolution: 7 }));
    const symmetric = cost(customSpec({ blocks, stem: { kernel: 2 }, padding: 'symmetric', resolution: 7 }));
    expect(same.perStage[0]!.outShape).toEqual([8, 4, 4]);
    expect(symmetric.perStage[0]!.outShape).toEqual([8, 3, 3]);
    // Odd kernels give ceil(size / stride) either way.
    expect(cost(tiny, { resolution: 7 }).perStage[0]!.outShape).toEqual([8, 4, 4]);
  });

  it('omits the classifier when numClasses is 0', () => {
    const features = cost(customSpec({ blocks: ['r1_k3_s1_e1_i8_o8_se0.25'], head: { channels: 16 }, numClasses: 0, resolution: 8 }));
    expect(features.params).toBe(report.params - 68);
    expect(features.perStage.map((p) => p.name)).toEqual(['stem', 'stage 0', 'head']);
  });

  it('rejects bad resolutions and batches with a typed error', () => {
    for (const resolution of [0, -224, 223.5, Number.NaN, Infinity]) {
      expect(configError(() => cost(tiny, { resolution })).field).toBe('resolution');
    }
    expect(configError(() => cost(tiny, { batch: 0 })).field).toBe('batch');
    expect(configError(() => cost(tiny, { batch: 1.5 })).field).toBe('batch');
    expect(configError(() => cost(preset('efficientdet-d0'), { resolution: 0.5 })).field).toBe('resolution');
    expect(configError(() => cost(tiny, { size: 8 } as object)).field).toBe('options.size');
    expect(configError(() => cost(null as never)).field).toBe('spec');
  });
});

describe('cost of B0 per part', () => {
  it('adds up to the totals and reports the stage output shapes of a 224 input', () => {
    const report = cost(preset('efficientnet-b0'));
    expect(report.perStage.map((p) => p.name)).toEqual(['stem', ...[0, 1, 2, 3, 4, 5, 6].map((i) => `stage ${i}`), 'head', 'classifier']);
    expect(report.perStage.map((p) => p.outShape[1])).toEqual([112, 112, 56, 28, 14, 14, 7, 7, 1, 1]);
    expect(report.perStage.reduce((s, p) => s + p.params, 0)).toBe(report.params);
    expect(report.perBlock.reduce((s, p) => s + p.macs, 0)).toBe(report.perStage.slice(1, 8).reduce((s, p) => s + p.macs, 0));
    expect(report.perBlock).toHaveLength(16);
  });
});

// Small EfficientNetV2-style presets for 28×28 grey images (Fashion-MNIST, MNIST), resolved by
// @effnet/scaling's stage-table resolver like every preset (architecture is data, STYLE.md rule 1).
// `efficientnetv2-28`: a stride-1 stem and three stages instead of six — Fused-MBConv where the
// maps are large (28 → 14 → 7), MBConv with squeeze-excite at 7×7 — and a 256-wide head; 85,546
// parameters for 10 classes. Every other name goes to scaling's `preset()`.
import { customSpec, preset, type ModelSpec } from '@effnet/scaling';

/** The small presets' stage tables and options. */
export const SMALL_PRESETS = {
  'efficientnetv2-28': {
    blocks: ['r1_k3_s2_e1_i16_o24_c1', 'r1_k3_s2_e4_i24_o48_c1', 'r2_k3_s1_e4_i48_o64_se0.25'],
    stem: { channels: 16, stride: 1 },
    head: { channels: 256, scaleWithWidth: false },
    resolution: 28,
    dropout: 0.2,
    dropPath: 0,
  },
} as const;

/** Names of {@link SMALL_PRESETS}. */
export type SmallPresetName = keyof typeof SMALL_PRESETS;

/** A spec by preset name (small presets first, then `@effnet/scaling`), with the data set's classes and channels. */
export function resolveSpec(name: string, options: { numClasses: number; inChannels: number }): ModelSpec {
  const small = SMALL_PRESETS[name as SmallPresetName];
  if (small) {
    const spec = customSpec({
      blocks: small.blocks, stem: small.stem, head: small.head, resolution: small.resolution, dropout: small.dropout, dropPath: small.dropPath,
      numClasses: options.numClasses, inChannels: options.inChannels,
    } as Parameters<typeof customSpec>[0]);
    return { ...spec, name };
  }
  return preset(name, { numClasses: options.numClasses, inChannels: options.inChannels }) as ModelSpec;
}

// Small EfficientNetV2-style presets for 28×28 grey images (Fashion-MNIST, MNIST), resolved by
// @effnet/scaling's stage-table resolver like every preset (architecture is data, STYLE.md rule 1).
// `efficientnetv2-28`: a stride-1 stem and three stages instead of six — Fused-MBConv where the
// maps are large (28 → 14 → 7), MBConv with squeeze-excite at 7×7 — and a 256-wide head; 122,406
// parameters for 10 classes. `efficientnetv2-28-lite` (what `npm run demo` trains): the same
// layout made cheaper to train on wasm — expansion 2 instead of 4 (the expanded tensors are what
// batch norm and the convolution gradients spend their time on), one more Fused-MBConv at 14×14
// in place of the width, a 192-wide head; 87,414 parameters, and a training step at batch 128 and
// 28 px of 473 ms against 566 ms for `efficientnetv2-28` (wasm backend, one sitting on the shared
// 2-core machine, 08:01 UTC 2026-11-26, mean of 3 steps after 2 warm-ups). Every other
// name goes to scaling's `preset()`.
import { customSpec, preset, type ModelSpec } from '@effnet/scaling';

/** The small presets' stage tables and options (block strings as `decodeBlock` reads them). */
export const SMALL_PRESETS = {
  'efficientnetv2-28': {
    blocks: ['r1_k3_s2_e1_i16_o24_c1', 'r1_k3_s2_e4_i24_o48_c1', 'r2_k3_s1_e4_i48_o64_se0.25'],
    stem: { channels: 16, stride: 1 },
    head: { channels: 256, scaleWithWidth: false },
    resolution: 28,
    dropout: 0.2,
    dropPath: 0,
  },
  'efficientnetv2-28-lite': {
    blocks: ['r1_k3_s2_e1_i16_o32_c1', 'r1_k3_s1_e1_i32_o32_c1', 'r1_k3_s2_e2_i32_o48_c1', 'r2_k3_s1_e2_i48_o64_se0.25'],
    stem: { channels: 16, stride: 1 },
    head: { channels: 192, scaleWithWidth: false },
    resolution: 28,
    dropout: 0.1,
    dropPath: 0,
  },
} as const;

/** Names of {@link SMALL_PRESETS}. */
export type SmallPresetName = keyof typeof SMALL_PRESETS;

/** A spec by preset name (small presets first, then `@effnet/scaling`), with the data set's classes and channels. */
export function resolveSpec(name: string, options: { numClasses: number; inChannels: number }): ModelSpec {
  const small = Object.hasOwn(SMALL_PRESETS, name) ? SMALL_PRESETS[name as SmallPresetName] : undefined;
  if (small) {
    const spec = customSpec({
      blocks: small.blocks, stem: small.stem, head: small.head, resolution: small.resolution, dropout: small.dropout, dropPath: small.dropPath,
      numClasses: options.numClasses, inChannels: options.inChannels,
    } as Parameters<typeof customSpec>[0]);
    return { ...spec, name };
  }
  return preset(name, { numClasses: options.numClasses, inChannels: options.inChannels }) as ModelSpec;
}

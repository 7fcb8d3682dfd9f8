// The networks the playground and the cross-backend tests run, as ModelSpecs (architecture is data):
// two tiny torchvision-mirroring networks whose seeded weights are
// committed under packages/models/test/fixtures, and full EfficientNet-B0 / V2-S at 224 whose
// weights `npm run fixtures` writes to fixtures-full/ (tools/fixtures/torchvision_reference.py).
import { modelSpecFromStages, preset, scale, type ModelSpec } from '@effnet/scaling';

/** One network: how to build its spec and which torchvision fixture holds its weights. */
export interface NetworkEntry {
  /** Builds the ModelSpec. */
  readonly spec: () => ModelSpec;
  /** File name of the safetensors fixture (state dict + `input` + `logits`). */
  readonly fixture: string;
  /** Where the fixture lives: committed (`small`) or written by `npm run fixtures` (`full`). */
  readonly kind: 'small' | 'full';
}

/** The networks by name. */
export const NETWORKS: Readonly<Record<string, NetworkEntry>> = {
  // EfficientNet-B0's stage table at width and depth 0.25 (every MBConv variant, ~50k parameters).
  'b0-narrow': {
    spec: () => scale(preset('efficientnet-b0', { numClasses: 10 }), { width: 0.25, depth: 0.25, resolution: 1 }),
    fixture: 'b0-narrow.safetensors',
    kind: 'small',
  },
  // An EfficientNetV2-style network: Fused-MBConv without and with expansion, then MBConv + SE.
  'v2-tiny': {
    spec: () =>
      modelSpecFromStages(['r1_k3_s1_e1_i16_o16_c1', 'r2_k3_s2_e4_i16_o24_c1', 'r2_k3_s2_e4_i24_o32_se0.25', 'r1_k3_s1_e6_i32_o40_se0.25'], {
        name: 'v2-tiny', family: 'efficientnetv2', convention: 'torchvision', head: { channels: 128, scaleWithWidth: false },
        batchNorm: { eps: 1e-3, momentum: 0.1 }, numClasses: 10, resolution: 64,
      }),
    fixture: 'v2-tiny.safetensors',
    kind: 'small',
  },
  'efficientnet-b0': { spec: () => preset('efficientnet-b0', {}), fixture: 'efficientnet_b0.safetensors', kind: 'full' },
};

/** The names of {@link NETWORKS}. */
export type NetworkName = keyof typeof NETWORKS & string;

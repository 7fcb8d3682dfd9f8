// Every preset as data: stage tables (block strings) and one row per model, read by the one
// generic resolver in presets.ts. Figures: EfficientNet 2019 (Table 1 and the released
// width/depth/resolution/dropout), EfficientNetV2 2021 / google/automl effnetv2_configs,
// EfficientDet 2020 / google/automl hparams_config; torchvision 0.14 for its BN settings and head.
import type { Activation, BatchNormSpec, FusionMode, HeadRule, ScalingConvention } from './model-spec.js';

/** Unscaled stage tables in google/automl's block-string form. */
export const STAGE_TABLES = {
  /** EfficientNet-B0 (the V1 base network). */
  v1: [
    'r1_k3_s1_e1_i32_o16_se0.25',
    'r2_k3_s2_e6_i16_o24_se0.25',
    'r2_k5_s2_e6_i24_o40_se0.25',
    'r3_k3_s2_e6_i40_o80_se0.25',
    'r3_k5_s1_e6_i80_o112_se0.25',
    'r4_k5_s2_e6_i112_o192_se0.25',
    'r1_k3_s1_e6_i192_o320_se0.25',
  ],
  /** The EfficientNetV2 base network scaled into V2-B0…B3. */
  'v2-base': [
    'r1_k3_s1_e1_i32_o16_c1',
    'r2_k3_s2_e4_i16_o32_c1',
    'r2_k3_s2_e4_i32_o48_c1',
    'r3_k3_s2_e4_i48_o96_se0.25',
    'r5_k3_s1_e6_i96_o112_se0.25',
    'r8_k3_s2_e6_i112_o192_se0.25',
  ],
  /**
   * EfficientNet-Lite (TensorFlow's efficientnet/lite, timm's tf_efficientnet_lite*): B0's table
   * without squeeze-excite; the first stage takes the stem's fixed 32 channels.
   */
  lite: [
    'r1_k3_s1_e1_o16',
    'r2_k3_s2_e6_i16_o24',
    'r2_k5_s2_e6_i24_o40',
    'r3_k3_s2_e6_i40_o80',
    'r3_k5_s1_e6_i80_o112',
    'r4_k5_s2_e6_i112_o192',
    'r1_k3_s1_e6_i192_o320',
  ],
  /** EfficientNetV2-S. */
  'v2-s': [
    'r2_k3_s1_e1_i24_o24_c1',
    'r4_k3_s2_e4_i24_o48_c1',
    'r4_k3_s2_e4_i48_o64_c1',
    'r6_k3_s2_e4_i64_o128_se0.25',
    'r9_k3_s1_e6_i128_o160_se0.25',
    'r15_k3_s2_e6_i160_o256_se0.25',
  ],
  /** EfficientNetV2-M. */
  'v2-m': [
    'r3_k3_s1_e1_i24_o24_c1',
    'r5_k3_s2_e4_i24_o48_c1',
    'r5_k3_s2_e4_i48_o80_c1',
    'r7_k3_s2_e4_i80_o160_se0.25',
    'r14_k3_s1_e6_i160_o176_se0.25',
    'r18_k3_s2_e6_i176_o304_se0.25',
    'r5_k3_s1_e6_i304_o512_se0.25',
  ],
  /** EfficientNetV2-L. */
  'v2-l': [
    'r4_k3_s1_e1_i32_o32_c1',
    'r7_k3_s2_e4_i32_o64_c1',
    'r7_k3_s2_e4_i64_o96_c1',
    'r10_k3_s2_e4_i96_o192_se0.25',
    'r19_k3_s1_e6_i192_o224_se0.25',
    'r25_k3_s2_e6_i224_o384_se0.25',
    'r7_k3_s1_e6_i384_o640_se0.25',
  ],
  /** EfficientNetV2-XL. */
  'v2-xl': [
    'r4_k3_s1_e1_i32_o32_c1',
    'r8_k3_s2_e4_i32_o64_c1',
    'r8_k3_s2_e4_i64_o96_c1',
    'r16_k3_s2_e4_i96_o192_se0.25',
    'r24_k3_s1_e6_i192_o256_se0.25',
    'r32_k3_s2_e6_i256_o512_se0.25',
    'r8_k3_s1_e6_i512_o640_se0.25',
  ],
  /**
   * `efficientnetv2-28`: EfficientNetV2's layout for 28×28 grey images — a stride-1 stem and three
   * stages instead of six: Fused-MBConv where the maps are large (28 → 14 → 7), MBConv with
   * squeeze-excite at 7×7.
   */
  'v2-28': ['r1_k3_s2_e1_i16_o24_c1', 'r1_k3_s2_e4_i24_o48_c1', 'r2_k3_s1_e4_i48_o64_se0.25'],
  /**
   * `efficientnetv2-28-lite` (what `npm run demo` trains): the same layout made cheaper to train on
   * wasm — expansion 2 instead of 4 (the expanded tensors are what batch norm and the convolution
   * gradients spend their time on) and one more Fused-MBConv at 14×14 in place of the width.
   */
  'v2-28-lite': ['r1_k3_s2_e1_i16_o32_c1', 'r1_k3_s1_e1_i32_o32_c1', 'r1_k3_s2_e2_i32_o48_c1', 'r2_k3_s1_e2_i48_o64_se0.25'],
} as const satisfies Record<string, readonly string[]>;

/** Batch-norm settings (PyTorch sense) used by the presets. */
export const BATCH_NORMS = {
  /** torchvision B0-B4 (PyTorch's defaults). */
  torch: { eps: 1e-5, momentum: 0.1 },
  /** torchvision B5-B7, google/automl V1 and EfficientDet (TF momentum 0.99). */
  tf099: { eps: 1e-3, momentum: 0.01 },
  /** torchvision V2 and google/automl V2 (TF momentum 0.9). */
  tf09: { eps: 1e-3, momentum: 0.1 },
} as const satisfies Record<string, BatchNormSpec>;

/** How a preset normalises its input (see preprocessing.ts). */
export type PreprocessingName = 'imagenet' | 'centered' | 'half';

/** One classification preset. */
export interface ClassifierPresetRow {
  /** Preset name. */
  name: string;
  /** Paper family (`custom` for the small presets, which no paper has). */
  family: 'efficientnet' | 'efficientnetv2' | 'custom';
  /** Which stage table. */
  stages: keyof typeof STAGE_TABLES;
  /** Width multiplier. */
  width: number;
  /** Depth multiplier. */
  depth: number;
  /** Train image size. */
  train: number;
  /** Eval image size. */
  eval: number;
  /** Dropout before the classifier. */
  dropout: number;
  /** Which reference the preset mirrors. */
  convention: ScalingConvention;
  /** How the head width is derived. */
  head: HeadRule;
  /** Batch-norm settings. */
  batchNorm: keyof typeof BATCH_NORMS;
  /** Input normalisation. */
  preprocessing: PreprocessingName;
  /**
   * Stem channels and stride, where they differ from the first stage's input and 2;
   * `scaleWithWidth: false` keeps the channels at every width (EfficientNet-Lite).
   */
  stem?: { channels: number; stride?: number; scaleWithWidth?: boolean };
  /** Stochastic-depth rate, where it differs from the default 0.2. */
  dropPath?: number;
  /** Default number of classes, where it is not ImageNet's 1000. */
  numClasses?: number;
  /** Default input channels, where they are not 3. */
  inChannels?: number;
  /** Activation (absent: SiLU). */
  activation?: Activation;
  /** First and last stage repeats kept at every depth (EfficientNet-Lite; absent: false). */
  fixFirstLast?: boolean;
}

const TV_V1_HEAD: HeadRule = { multipleOfLastStage: 4 };
const SCALED_1280: HeadRule = { channels: 1280, scaleWithWidth: true };
const FIXED_1280: HeadRule = { channels: 1280, scaleWithWidth: false };

/** Columns: name, family, stage table, width, depth, train, eval, dropout, convention, head, BN, preprocessing. */
const CLASSIFIER_COLUMNS = [
  ['efficientnet-b0', 'efficientnet', 'v1', 1.0, 1.0, 224, 224, 0.2, 'torchvision', TV_V1_HEAD, 'torch', 'imagenet'],
  ['efficientnet-b1', 'efficientnet', 'v1', 1.0, 1.1, 240, 240, 0.2, 'torchvision', TV_V1_HEAD, 'torch', 'imagenet'],
  ['efficientnet-b2', 'efficientnet', 'v1', 1.1, 1.2, 260, 260, 0.3, 'torchvision', TV_V1_HEAD, 'torch', 'imagenet'],
  ['efficientnet-b3', 'efficientnet', 'v1', 1.2, 1.4, 300, 300, 0.3, 'torchvision', TV_V1_HEAD, 'torch', 'imagenet'],
  ['efficientnet-b4', 'efficientnet', 'v1', 1.4, 1.8, 380, 380, 0.4, 'torchvision', TV_V1_HEAD, 'torch', 'imagenet'],
  ['efficientnet-b5', 'efficientnet', 'v1', 1.6, 2.2, 456, 456, 0.4, 'torchvision', TV_V1_HEAD, 'tf099', 'imagenet'],
  ['efficientnet-b6', 'efficientnet', 'v1', 1.8, 2.6, 528, 528, 0.5, 'torchvision', TV_V1_HEAD, 'tf099', 'imagenet'],
  ['efficientnet-b7', 'efficientnet', 'v1', 2.0, 3.1, 600, 600, 0.5, 'torchvision', TV_V1_HEAD, 'tf099', 'imagenet'],
  ['efficientnet-b8', 'efficientnet', 'v1', 2.2, 3.6, 672, 672, 0.5, 'automl', SCALED_1280, 'tf099', 'imagenet'],
  ['efficientnet-l2', 'efficientnet', 'v1', 4.3, 5.3, 800, 800, 0.5, 'automl', SCALED_1280, 'tf099', 'imagenet'],
  ['efficientnetv2-b0', 'efficientnetv2', 'v2-base', 1.0, 1.0, 192, 224, 0.2, 'automl-v2', SCALED_1280, 'tf09', 'imagenet'],
  ['efficientnetv2-b1', 'efficientnetv2', 'v2-base', 1.0, 1.1, 192, 240, 0.2, 'automl-v2', SCALED_1280, 'tf09', 'imagenet'],
  ['efficientnetv2-b2', 'efficientnetv2', 'v2-base', 1.1, 1.2, 208, 260, 0.3, 'automl-v2', SCALED_1280, 'tf09', 'imagenet'],
  ['efficientnetv2-b3', 'efficientnetv2', 'v2-base', 1.2, 1.4, 240, 300, 0.3, 'automl-v2', SCALED_1280, 'tf09', 'imagenet'],
  ['efficientnetv2-s', 'efficientnetv2', 'v2-s', 1.0, 1.0, 300, 384, 0.2, 'torchvision', FIXED_1280, 'tf09', 'imagenet'],
  ['efficientnetv2-m', 'efficientnetv2', 'v2-m', 1.0, 1.0, 384, 480, 0.3, 'torchvision', FIXED_1280, 'tf09', 'imagenet'],
  ['efficientnetv2-l', 'efficientnetv2', 'v2-l', 1.0, 1.0, 384, 480, 0.4, 'torchvision', FIXED_1280, 'tf09', 'imagenet'],
  ['efficientnetv2-xl', 'efficientnetv2', 'v2-xl', 1.0, 1.0, 384, 512, 0.4, 'automl-v2', SCALED_1280, 'tf09', 'centered'],
] as const;

/**
 * EfficientNet-Lite0-4 (TensorFlow's efficientnet/lite, as MediaPipe and TFLite ship it; timm's
 * tf_efficientnet_lite*): ReLU6, no squeeze-excite, stem (32) and head (1280) fixed, first and
 * last stage repeats fixed, TF's BN eps and 'same' padding, inputs normalised with mean = std = 0.5.
 * Columns: name, width, depth, image size, dropout.
 */
const LITE_COLUMNS = [
  ['efficientnet-lite0', 1.0, 1.0, 224, 0.2],
  ['efficientnet-lite1', 1.0, 1.1, 240, 0.2],
  ['efficientnet-lite2', 1.1, 1.2, 260, 0.3],
  ['efficientnet-lite3', 1.2, 1.4, 280, 0.3],
  ['efficientnet-lite4', 1.4, 1.8, 300, 0.3],
] as const;

/**
 * The small presets, for 28×28 grey images (Fashion-MNIST, MNIST: 10 classes, 1 channel by
 * default): a stride-1 stem, a fixed head, no stochastic depth. `efficientnetv2-28` has 122,406
 * parameters and a 256-wide head; `efficientnetv2-28-lite` 87,414 and a 192-wide head, and a
 * training step at batch 128 and 28 px of 473 ms against 566 ms for `efficientnetv2-28` (wasm
 * backend, one sitting on a shared 2-core machine, mean of 3 steps after 2 warm-ups).
 */
const SMALL_PRESETS: readonly ClassifierPresetRow[] = [
  ['efficientnetv2-28', 'v2-28', 256, 0.2],
  ['efficientnetv2-28-lite', 'v2-28-lite', 192, 0.1],
].map(([name, stages, head, dropout]) => ({
  name: name as string, family: 'custom', stages: stages as keyof typeof STAGE_TABLES, width: 1, depth: 1, train: 28, eval: 28,
  dropout: dropout as number, convention: 'torchvision', head: { channels: head as number, scaleWithWidth: false }, batchNorm: 'torch',
  preprocessing: 'imagenet', stem: { channels: 16, stride: 1 }, dropPath: 0, numClasses: 10, inChannels: 1,
}));

/** Every classification preset, one row each: the papers' (torchvision's where it has them), Lite, then the small ones. */
export const CLASSIFIER_PRESETS: readonly ClassifierPresetRow[] = [
  ...CLASSIFIER_COLUMNS.map(([name, family, stages, width, depth, train, evalSize, dropout, convention, head, batchNorm, preprocessing]) => ({
    name, family, stages, width, depth, train, eval: evalSize, dropout, convention, head, batchNorm, preprocessing,
  })),
  ...LITE_COLUMNS.map(([name, width, depth, size, dropout]): ClassifierPresetRow => ({
    name, family: 'efficientnet', stages: 'lite', width, depth, train: size, eval: size, dropout, convention: 'automl',
    head: FIXED_1280, batchNorm: 'tf099', preprocessing: 'half', activation: 'relu6', stem: { channels: 32, scaleWithWidth: false }, fixFirstLast: true,
  })),
  ...SMALL_PRESETS,
];

/** One EfficientDet preset (google/automl hparams_config). */
export interface DetectorPresetRow {
  /** Preset name. */
  name: string;
  /** Compound coefficient φ. */
  phi: number;
  /** Backbone classification preset. */
  backbone: string;
  /** Input size. */
  resolution: number;
  /** BiFPN channels. */
  channels: number;
  /** BiFPN layers. */
  layers: number;
  /** Box/class head repeats. */
  headLayers: number;
  /** BiFPN fusion. */
  fusion: FusionMode;
  /** Anchor scale. */
  anchorScale: number;
  /** Highest pyramid level. */
  maxLevel: number;
}

/** Columns: name, φ, backbone, input, BiFPN channels, BiFPN layers, head layers, fusion, anchor scale, max level. */
const DETECTOR_COLUMNS = [
  ['efficientdet-d0', 0, 'efficientnet-b0', 512, 64, 3, 3, 'fast', 4, 7],
  ['efficientdet-d1', 1, 'efficientnet-b1', 640, 88, 4, 3, 'fast', 4, 7],
  ['efficientdet-d2', 2, 'efficientnet-b2', 768, 112, 5, 3, 'fast', 4, 7],
  ['efficientdet-d3', 3, 'efficientnet-b3', 896, 160, 6, 4, 'fast', 4, 7],
  ['efficientdet-d4', 4, 'efficientnet-b4', 1024, 224, 7, 4, 'fast', 4, 7],
  ['efficientdet-d5', 5, 'efficientnet-b5', 1280, 288, 7, 4, 'fast', 4, 7],
  ['efficientdet-d6', 6, 'efficientnet-b6', 1280, 384, 8, 5, 'sum', 4, 7],
  ['efficientdet-d7', 7, 'efficientnet-b6', 1536, 384, 8, 5, 'sum', 5, 7],
  ['efficientdet-d7x', 7, 'efficientnet-b7', 1536, 384, 8, 5, 'sum', 4, 8],
] as const;

/** Every detector preset, one row each. */
export const DETECTOR_PRESETS: readonly DetectorPresetRow[] = DETECTOR_COLUMNS.map(
  ([name, phi, backbone, resolution, channels, layers, headLayers, fusion, anchorScale, maxLevel]) => ({
    name, phi, backbone, resolution, channels, layers, headLayers, fusion, anchorScale, maxLevel,
  }),
);

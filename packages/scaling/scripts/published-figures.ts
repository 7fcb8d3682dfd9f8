// Published parameter counts and FLOPs (multiply-adds) per preset, as written in the papers and
// the google/automl READMEs,
// with the reason wherever our count differs from them by more than 3 %. Read by readme-table.ts
// and by the EfficientDet acceptance test.

/** One published row. */
export interface PublishedFigure {
  /** Where the figures come from. */
  source: string;
  /** Parameters, when published. */
  params?: number;
  /** FLOPs as multiply-adds at the preset's eval size, when published. */
  flops?: number;
  /** Why ours differs by more than 3 %, where it does. */
  note?: string;
}

const M = 1e6;
const B = 1e9;
const V1 = 'EfficientNet paper, Table 2';
const V2 = 'google/automl efficientnetv2 README';
const DET = 'google/automl efficientdet README';
const LITE = 'tensorflow/tpu efficientnet/lite README';

const V1_FLOPS_GAP =
  'torchvision publishes the same count as ours (4.39 / 10.27 GFLOPs) for the identical architecture; the paper’s Table 2 figure is below what the released B4/B5 compute at 380/456 px';

const D5_ROUNDING =
  'the README gives two significant figures: our 134.1 B prints as 130 B (D6, same input size and a larger BiFPN, agrees within 1 %)';

/** Published figures by preset name. */
export const PUBLISHED: Record<string, PublishedFigure> = {
  'efficientnet-b0': { source: V1, params: 5.3 * M, flops: 0.39 * B },
  'efficientnet-b1': { source: V1, params: 7.8 * M, flops: 0.7 * B },
  'efficientnet-b2': { source: V1, params: 9.2 * M, flops: 1.0 * B },
  'efficientnet-b3': { source: V1, params: 12 * M, flops: 1.8 * B },
  'efficientnet-b4': { source: V1, params: 19 * M, flops: 4.2 * B, note: V1_FLOPS_GAP },
  'efficientnet-b5': { source: V1, params: 30 * M, flops: 9.9 * B, note: V1_FLOPS_GAP },
  'efficientnet-b6': { source: V1, params: 43 * M, flops: 19 * B },
  'efficientnet-b7': { source: V1, params: 66 * M, flops: 37 * B },
  'efficientnet-b8': { source: 'google/automl efficientnet README (about)', params: 87 * M },
  'efficientnet-l2': { source: 'Noisy Student paper (about)', params: 480 * M },
  'efficientnet-lite0': { source: LITE, params: 4.7 * M },
  'efficientnet-lite1': { source: LITE, params: 5.4 * M },
  'efficientnet-lite2': { source: LITE, params: 6.1 * M },
  'efficientnet-lite3': { source: LITE, params: 8.2 * M },
  'efficientnet-lite4': { source: LITE, params: 13.0 * M },
  'efficientnetv2-b0': { source: V2, params: 7.1 * M, flops: 0.72 * B },
  'efficientnetv2-b1': { source: V2, params: 8.1 * M, flops: 1.2 * B },
  'efficientnetv2-b2': { source: V2, params: 10.1 * M, flops: 1.7 * B },
  'efficientnetv2-b3': { source: V2, params: 14.4 * M, flops: 3.0 * B },
  'efficientnetv2-s': { source: V2, params: 21.5 * M, flops: 8.4 * B },
  'efficientnetv2-m': { source: V2, params: 54.1 * M, flops: 24.7 * B },
  'efficientnetv2-l': { source: V2, params: 119.5 * M, flops: 56.3 * B },
  'efficientnetv2-xl': { source: 'EfficientNetV2 paper (about)', params: 208 * M },
  'efficientdet-d0': { source: DET, params: 3.9 * M, flops: 2.5 * B },
  'efficientdet-d1': { source: DET, params: 6.6 * M, flops: 6.1 * B },
  'efficientdet-d2': { source: DET, params: 8.1 * M, flops: 11 * B },
  'efficientdet-d3': { source: DET, params: 12.0 * M, flops: 25 * B },
  'efficientdet-d4': { source: DET, params: 20.7 * M, flops: 55 * B },
  'efficientdet-d5': { source: DET, params: 33.7 * M, flops: 130 * B, note: D5_ROUNDING },
  'efficientdet-d6': { source: DET, params: 51.9 * M, flops: 226 * B },
  'efficientdet-d7': { source: DET, params: 51.9 * M, flops: 325 * B },
  'efficientdet-d7x': { source: DET, params: 77.0 * M, flops: 410 * B },
};

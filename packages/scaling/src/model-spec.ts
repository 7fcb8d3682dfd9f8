// The plain-JSON description of a network that every other effnet package builds from.
// A spec is fully resolved: channels are already rounded, every block is listed, and nothing
// about the model lives outside it (docs/architecture.md, "The interfaces, in words").

/** Which block a row of the network is. `ds` is timm's depthwise-separable block (no expansion). */
export type BlockKind = 'mbconv' | 'fused-mbconv' | 'ds';

/**
 * How convolutions are padded. `symmetric` pads (k-1)/2 on every side as PyTorch does;
 * `same` follows TensorFlow, which on stride-2 layers with even inputs pads one more pixel
 * at the bottom and right. Weights trained in one convention give other outputs in the other.
 */
export type PaddingConvention = 'same' | 'symmetric';

/** The activation used after convolutions (SiLU, also called swish, throughout the family). */
export type Activation = 'silu' | 'relu' | 'relu6' | 'gelu';

/**
 * One decoded block string: a stage of `repeats` identical blocks before any scaling.
 * The grammar is documented on {@link decodeBlock}.
 */
export interface BlockArgs {
  /** Block type. */
  kind: BlockKind;
  /** How many times the block repeats in its stage. */
  repeats: number;
  /** Kernel size of the spatial convolution (square). */
  kernel: number;
  /** Stride of the first block of the stage (square); later blocks use stride 1. */
  stride: number;
  /** Expansion ratio of the hidden width over the input width. */
  expand: number;
  /** Input channels of the stage before width scaling, when the string states them (`i24`). */
  inChannels?: number;
  /** Output channels of the stage before width scaling. */
  outChannels: number;
  /** Squeeze-excitation ratio of the block's input channels; absent means no SE. */
  seRatio?: number;
  /** False when the string says `noskip`: no residual connection even where shapes allow it. */
  skip: boolean;
}

/** One fully resolved block of a network. */
export interface BlockSpec {
  /** Block type. */
  kind: BlockKind;
  /** 0-based index of the stage the block belongs to. */
  stage: number;
  /** 0-based index of the block within its stage. */
  indexInStage: number;
  /** Input channels after width rounding. */
  inChannels: number;
  /** Output channels after width rounding. */
  outChannels: number;
  /**
   * Width of the expanded (hidden) tensor. The block has an expansion convolution exactly when
   * `expandedChannels !== inChannels`; with `expand` 1 and channels that are multiples of 8
   * (every preset) the two are equal.
   */
  expandedChannels: number;
  /** Kernel size of the spatial convolution. */
  kernel: number;
  /** Stride of the spatial convolution. */
  stride: number;
  /** Expansion ratio. */
  expand: number;
  /**
   * Channels of the squeeze-excitation bottleneck, `max(1, floor(inChannels · seRatio))` of the
   * block's input; 0 means the block has no SE. MBConv applies SE after the depthwise conv;
   * Fused-MBConv (google/automl) after its expansion conv, or on the input when it has none.
   */
  seChannels: number;
  /** Whether the block adds its input to its output (stride 1, in = out and skip allowed). */
  residual: boolean;
  /** Drop-path (stochastic depth) rate of the residual branch in training: `rate · i / N` for block i of N. */
  dropPath: number;
}

/**
 * One stage of a resolved network: the unscaled block args it came from and where its blocks
 * are. `scale()` re-resolves a spec from these rows.
 */
export interface StageSpec {
  /** 0-based stage index (equals `BlockSpec.stage` of its blocks). */
  index: number;
  /** The stage's block args before width and depth scaling. */
  args: BlockArgs;
  /** The canonical block string of `args` (see `encodeBlock`). */
  blockString: string;
  /** Index into `ModelSpec.blocks` of the stage's first block. */
  firstBlock: number;
  /** Number of blocks after depth scaling (`roundRepeats(args.repeats, depth)`). */
  repeats: number;
  /** Input channels of the first block after width rounding. */
  inChannels: number;
  /** Output channels after width rounding. */
  outChannels: number;
}

/**
 * Which reference implementation a spec's rounding rules follow.
 * - `torchvision`: `_make_divisible` for stage widths and for the expanded width `in · e`.
 * - `automl`: google/automl's `round_filters` for stage widths; the expanded width is `in · e`
 *   rounded to an integer.
 * - `automl-v2`: as `automl`, but stage widths may round down by more than 10 % (google/automl's
 *   EfficientNetV2 `round_filters`, timm's `round_limit=0.`, Keras' EfficientNetV2): V2-B3's
 *   first stage has 16 channels, not 24.
 * All use SE channels `max(1, floor(in · seRatio))` and drop-path rate `rate · i / N`.
 */
export type ScalingConvention = 'torchvision' | 'automl' | 'automl-v2';

/**
 * How the head width follows from the network: a width (scaled by the width multiplier with the
 * convention's channel rounding when `scaleWithWidth`, as google/automl's `round_filters(1280 · w)`),
 * or a multiple of the last stage's output channels (torchvision V1: 4 × the last stage).
 */
export type HeadRule = { channels: number; scaleWithWidth: boolean } | { multipleOfLastStage: number };

/** What `scale()` needs besides the stage table to re-resolve a spec at new multipliers. */
export interface ScalingRecipe {
  /** The rounding rules. */
  convention: ScalingConvention;
  /** Stem output channels before width scaling. */
  stemChannels: number;
  /** How the head width is derived. */
  head: HeadRule;
  /** The stem keeps `stemChannels` at every width (timm's `fix_stem`; EfficientNet-Lite). Absent means false. */
  fixStem?: boolean;
  /** The first and last stages keep their repeats at every depth (timm's `fix_first_last`; EfficientNet-Lite). Absent means false. */
  fixFirstLast?: boolean;
}

/** The stem: one strided convolution + BN + activation in front of the blocks. */
export interface StemSpec {
  /** Output channels after width rounding. */
  outChannels: number;
  /** Kernel size. */
  kernel: number;
  /** Stride. */
  stride: number;
}

/** The head: a 1×1 convolution + BN + activation, global average pooling, dropout and a linear classifier. */
export interface HeadSpec {
  /** Output channels of the 1×1 convolution (the pooled feature width). */
  outChannels: number;
}

/** Batch normalisation settings in the PyTorch sense (momentum 0.1 is TensorFlow's 0.9). */
export interface BatchNormSpec {
  /** Added to the variance before the square root. */
  eps: number;
  /** Weight of the new batch statistic in the moving average (PyTorch sense). */
  momentum: number;
}

/** Input normalisation a model expects. */
export interface PreprocessingSpec {
  /**
   * `imagenet`: the caller scales pixels to 0-1 and normalises with `mean`/`std` (torchvision).
   * `raw255`: the model takes 0-255 pixels and normalises inside (Keras applications).
   */
  kind: 'imagenet' | 'raw255';
  /** Per-channel mean (0-1 scale). */
  mean: [number, number, number];
  /** Per-channel standard deviation (0-1 scale). */
  std: [number, number, number];
}

/** Train and evaluation image sizes (square). */
export interface ResolutionSpec {
  /** Image size used in training. */
  train: number;
  /** Image size used in evaluation. */
  eval: number;
}

/** A fully resolved classification network of the EfficientNet family. */
export interface ModelSpec {
  /** Preset or user-given name. */
  name: string;
  /** Which paper the architecture follows. */
  family: 'efficientnet' | 'efficientnetv2' | 'custom';
  /** Width multiplier the blocks were rounded with. */
  width: number;
  /** Depth multiplier the repeats were rounded with. */
  depth: number;
  /** Input channels (3 for RGB). */
  inChannels: number;
  /** Number of output classes; 0 means no classifier (features only). */
  numClasses: number;
  /** The stem. */
  stem: StemSpec;
  /** Every block in order. */
  blocks: BlockSpec[];
  /** The head. */
  head: HeadSpec;
  /** Dropout before the classifier. */
  dropout: number;
  /**
   * The network's stochastic-depth rate p (0.2 in every preset). Block i of N gets `p · i / N`
   * (torchvision and google/automl), stored per block in `BlockSpec.dropPath`; the last block's
   * rate is therefore `p · (N − 1) / N`.
   */
  dropPath: number;
  /** Activation after convolutions. */
  activation: Activation;
  /** Batch normalisation settings. */
  batchNorm: BatchNormSpec;
  /** Padding convention of every convolution. */
  padding: PaddingConvention;
  /** Image sizes. */
  resolution: ResolutionSpec;
  /** Input normalisation. */
  preprocessing: PreprocessingSpec;
  /** The stage table the blocks were resolved from (every spec this package makes has it). */
  stages?: StageSpec[];
  /** The rules `scale()` re-resolves the stage table with (every spec this package makes has it). */
  scaling?: ScalingRecipe;
}

/** How a BiFPN node fuses its inputs. */
export type FusionMode = 'fast' | 'softmax' | 'sum';

/** A fully resolved EfficientDet detector. */
export interface DetectorSpec {
  /** Preset or user-given name. */
  name: string;
  /** Marks the spec as a detector. */
  family: 'efficientdet';
  /** The compound coefficient φ the detector was scaled with. */
  phi: number;
  /** The backbone, without classifier (`numClasses` 0). */
  backbone: ModelSpec;
  /** Indices into `backbone.blocks` of the last block at strides 8, 16 and 32 (P3-P5). */
  backboneLevels: [number, number, number];
  /** Lowest feature level (3 = stride 8). */
  minLevel: number;
  /** Highest feature level (7 = stride 128). */
  maxLevel: number;
  /** Square input size. */
  resolution: number;
  /** Number of object classes. */
  numClasses: number;
  /** The feature pyramid. */
  bifpn: {
    /** Channels of every BiFPN level. */
    channels: number;
    /** How many BiFPN layers are stacked. */
    layers: number;
    /** How nodes fuse their inputs. */
    fusion: FusionMode;
  };
  /** The shared class and box heads. */
  head: {
    /** Separable conv + BN + activation repeats before the prediction conv. */
    layers: number;
  };
  /** Anchor generation. */
  anchors: {
    /** Anchor size is `anchorScale · stride · scale`. */
    anchorScale: number;
    /** Octave scales per location. */
    scales: number[];
    /** (w, h) multipliers per location. */
    aspectRatios: [number, number][];
  };
  /** Batch normalisation settings. */
  batchNorm: BatchNormSpec;
  /** Padding convention of every convolution. */
  padding: PaddingConvention;
  /** Activation after convolutions. */
  activation: Activation;
}

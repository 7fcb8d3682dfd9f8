// The one generic resolver: a stage table (block strings or BlockArgs) plus width, depth and a
// rounding convention become a fully resolved ModelSpec. Every preset, scale() and customSpec()
// go through here. Follows torchvision 0.14's EfficientNet.__init__ (block chaining, stride on the
// first block of a stage, drop path rate·i/N) and google/automl's builders.
import { decodeBlock } from './block-string-decode.js';
import { checkBlockArgs, encodeBlock } from './block-string-encode.js';
import { requireInteger, requireOneOf, requirePositive } from './config-checks.js';
import { CONVENTIONS } from './conventions.js';
import { EffnetConfigError } from './errors.js';
import type {
  Activation,
  BatchNormSpec,
  BlockArgs,
  BlockSpec,
  HeadRule,
  ModelSpec,
  PaddingConvention,
  PreprocessingSpec,
  ScalingConvention,
  StageSpec,
} from './model-spec.js';
import { IMAGENET_PREPROCESSING } from './preprocessing.js';
import { roundRepeats } from './rounding.js';
import {
  checkActivation,
  checkBatchNorm,
  checkInChannels,
  checkNumClasses,
  checkPadding,
  checkPreprocessing,
  checkRate,
  checkResolution,
  type ResolutionInput,
} from './spec-options.js';

/** Options of {@link modelSpecFromStages}; every field has a default. */
export interface StageTableOptions {
  /** Name of the spec (default `custom`). */
  name?: string;
  /** Family written into the spec (default `custom`). */
  family?: ModelSpec['family'];
  /** Width multiplier (default 1). */
  width?: number;
  /** Depth multiplier (default 1). */
  depth?: number;
  /** Rounding rules (default `torchvision`). */
  convention?: ScalingConvention;
  /**
   * Stem: `channels` before width scaling (default the first stage's `i`), kernel 3, stride 2;
   * `scaleWithWidth: false` keeps `channels` at every width (default true).
   */
  stem?: { channels?: number; kernel?: number; stride?: number; scaleWithWidth?: boolean };
  /** Keep the first and last stages' repeats at every depth (timm's `fix_first_last`, EfficientNet-Lite; default false). */
  fixFirstLast?: boolean;
  /** Head width rule (default 1280 scaled with width, as google/automl). */
  head?: HeadRule;
  /** Classes (default 1000; 0 = no classifier). */
  numClasses?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Dropout before the classifier (default 0.2). */
  dropout?: number;
  /** Stochastic-depth rate p; block i of N gets p·i/N (default 0.2). */
  dropPath?: number;
  /** Activation (default `silu`). */
  activation?: Activation;
  /** Batch norm (default torchvision's eps 1e-5 / momentum 0.1, or automl's 1e-3 / 0.01). */
  batchNorm?: BatchNormSpec;
  /** Padding (default `symmetric` for torchvision, `same` for automl). */
  padding?: PaddingConvention;
  /** Image size, one number or `{train, eval}` (default 224). */
  resolution?: ResolutionInput;
  /** Input normalisation (default torchvision's ImageNet mean/std). */
  preprocessing?: PreprocessingSpec;
}

const DEFAULT_BATCH_NORM: Record<ScalingConvention, BatchNormSpec> = {
  torchvision: { eps: 1e-5, momentum: 0.1 },
  automl: { eps: 1e-3, momentum: 0.01 },
  'automl-v2': { eps: 1e-3, momentum: 0.1 },
};
const DEFAULT_PADDING: Record<ScalingConvention, PaddingConvention> = { torchvision: 'symmetric', automl: 'same', 'automl-v2': 'same' };
const OPTION_KEYS = [
  'name', 'family', 'width', 'depth', 'convention', 'stem', 'head', 'numClasses', 'inChannels', 'dropout',
  'dropPath', 'activation', 'batchNorm', 'padding', 'resolution', 'preprocessing', 'fixFirstLast',
];

function checkHead(head: HeadRule): HeadRule {
  if (typeof head === 'object' && head !== null && 'multipleOfLastStage' in head) {
    return { multipleOfLastStage: requirePositive('head.multipleOfLastStage', head.multipleOfLastStage) };
  }
  if (typeof head !== 'object' || head === null || typeof head.scaleWithWidth !== 'boolean') {
    throw new EffnetConfigError('head', `head must be {channels, scaleWithWidth} or {multipleOfLastStage}, got ${JSON.stringify(head)}`);
  }
  return { channels: requireInteger('head.channels', head.channels), scaleWithWidth: head.scaleWithWidth };
}

function requireFlag(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new EffnetConfigError(field, `${field} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function toArgs(stage: string | BlockArgs, index: number): BlockArgs {
  if (typeof stage === 'string') return decodeBlock(stage);
  const args = checkBlockArgs(stage, `stages[${index}]`);
  const copy: BlockArgs = { ...args };
  if (copy.inChannels === undefined) delete copy.inChannels;
  if (copy.seRatio === undefined) delete copy.seRatio;
  return copy;
}

/**
 * Resolves a stage table into a {@link ModelSpec}: decodes the strings, scales widths with the
 * convention's rounding and repeats with `roundRepeats`, chains the blocks (the first block of a
 * stage takes the stride and the previous width; later blocks stride 1, in = out), assigns SE
 * widths and drop-path rates, and derives the stem and head. The unscaled table stays in
 * `spec.stages` and the rules in `spec.scaling`, so `scale()` can re-resolve the spec.
 *
 * @param stages - One block string (see `decodeBlock`) or BlockArgs per stage, at least one.
 * @param options - Multipliers, rules and model options; see {@link StageTableOptions}.
 * @returns The resolved spec.
 * @throws EffnetConfigError naming the field when an option is invalid or a stage's stated input
 *   channels do not match the previous stage's output; BlockStringError for a malformed string.
 */
export function modelSpecFromStages(stages: readonly (string | BlockArgs)[], options: StageTableOptions = {}): ModelSpec {
  if (typeof options !== 'object' || options === null) throw new EffnetConfigError('options', 'options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw new EffnetConfigError(key, `unknown option '${key}'; allowed: ${OPTION_KEYS.join(', ')}`);
  }
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new EffnetConfigError('stages', 'stages must be a non-empty list of block strings or BlockArgs');
  }
  const width = requirePositive('width', options.width ?? 1);
  const depth = requirePositive('depth', options.depth ?? 1);
  const convention = requireOneOf('convention', options.convention ?? 'torchvision', ['torchvision', 'automl', 'automl-v2']);
  const rules = CONVENTIONS[convention];
  const args = stages.map(toArgs);
  const stemChannels = requireInteger('stem.channels', options.stem?.channels ?? args[0].inChannels ?? Number.NaN);
  const fixStem = requireFlag('stem.scaleWithWidth', options.stem?.scaleWithWidth ?? true) === false;
  const fixFirstLast = requireFlag('fixFirstLast', options.fixFirstLast ?? false);
  const stem = {
    outChannels: fixStem ? stemChannels : rules.stageChannels(stemChannels, width),
    kernel: requireInteger('stem.kernel', options.stem?.kernel ?? 3),
    stride: requireInteger('stem.stride', options.stem?.stride ?? 2),
  };
  const head = checkHead(options.head ?? { channels: 1280, scaleWithWidth: true });
  const dropPath = checkRate(options.dropPath ?? 0.2, 'dropPath');

  const repeatsOf = (stage: BlockArgs, index: number) =>
    fixFirstLast && (index === 0 || index === args.length - 1) ? stage.repeats : roundRepeats(stage.repeats, depth);
  const total = args.reduce((sum, stage, index) => sum + repeatsOf(stage, index), 0);
  const blocks: BlockSpec[] = [];
  const stageSpecs: StageSpec[] = [];
  let previous = stem.outChannels;
  args.forEach((stage, index) => {
    const inChannels = stage.inChannels === undefined ? previous : rules.stageChannels(stage.inChannels, width);
    if (inChannels !== previous) {
      const source = index === 0 ? 'the stem outputs' : `stage ${index - 1} outputs`;
      throw new EffnetConfigError(
        'stages',
        `stage ${index} ('${encodeBlock(stage)}') takes ${inChannels} channels after rounding but ${source} ${previous}; fix its 'i' option or leave it out`,
      );
    }
    const outChannels = rules.stageChannels(stage.outChannels, width);
    const repeats = repeatsOf(stage, index);
    stageSpecs.push({ index, args: stage, blockString: encodeBlock(stage), firstBlock: blocks.length, repeats, inChannels, outChannels });
    for (let j = 0; j < repeats; j++) {
      const blockIn = j === 0 ? inChannels : outChannels;
      const stride = j === 0 ? stage.stride : 1;
      const expandedChannels = stage.kind === 'ds' ? blockIn : rules.expandedChannels(blockIn, stage.expand);
      blocks.push({
        kind: stage.kind,
        stage: index,
        indexInStage: j,
        inChannels: blockIn,
        outChannels,
        expandedChannels,
        kernel: stage.kernel,
        stride,
        expand: stage.expand,
        seChannels: stage.seRatio === undefined ? 0 : rules.seChannels(blockIn, stage.seRatio),
        residual: stage.skip && stride === 1 && blockIn === outChannels,
        dropPath: rules.dropPath(blocks.length, total, dropPath),
      });
    }
    previous = outChannels;
  });

  const headChannels =
    'multipleOfLastStage' in head
      ? Math.round(previous * head.multipleOfLastStage)
      : head.scaleWithWidth
        ? rules.stageChannels(head.channels, width)
        : head.channels;
  return {
    name: options.name ?? 'custom',
    family: requireOneOf('family', options.family ?? 'custom', ['efficientnet', 'efficientnetv2', 'custom']),
    width,
    depth,
    inChannels: checkInChannels(options.inChannels ?? 3),
    numClasses: checkNumClasses(options.numClasses ?? 1000),
    stem,
    blocks,
    head: { outChannels: headChannels },
    dropout: checkRate(options.dropout ?? 0.2, 'dropout'),
    dropPath,
    activation: checkActivation(options.activation ?? 'silu'),
    batchNorm: checkBatchNorm(options.batchNorm ?? DEFAULT_BATCH_NORM[convention]),
    padding: checkPadding(options.padding ?? DEFAULT_PADDING[convention]),
    resolution: checkResolution(options.resolution ?? 224),
    preprocessing: checkPreprocessing(options.preprocessing ?? IMAGENET_PREPROCESSING),
    stages: stageSpecs,
    scaling: { convention, stemChannels, head, ...(fixStem ? { fixStem } : {}), ...(fixFirstLast ? { fixFirstLast } : {}) },
  };
}

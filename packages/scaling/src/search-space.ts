// The EfficientNetV2 search space as data (EfficientNetV2 2021, section 3.3): per stage a conv op
// {MBConv, Fused-MBConv}, a number of layers, a kernel {3×3, 5×5} and an expansion {1, 4, 6}, with
// the stage channels and strides reused from the backbone; plus a seeded sampler of valid specs.
import { requireInteger } from './config-checks.js';
import { EffnetConfigError } from './errors.js';
import type { BlockArgs, ModelSpec } from './model-spec.js';
import { seededRandom } from './seeded-random.js';
import { modelSpecFromStages } from './stage-table.js';

/** One searchable stage: its fixed stride and width, and the layer counts to choose from. */
export interface SearchSpaceStage {
  /** Stride of the stage's first block. */
  stride: number;
  /** Output channels (from the backbone). */
  outChannels: number;
  /** Layer counts to choose from. */
  layers: readonly number[];
}

/** A stage-based factorised search space. */
export interface SearchSpace {
  /** Conv ops to choose from. */
  ops: readonly ('mbconv' | 'fused-mbconv')[];
  /** Kernel sizes to choose from. */
  kernels: readonly number[];
  /** Expansion ratios to choose from. */
  expansions: readonly number[];
  /** SE ratio of MBConv stages (Fused-MBConv stages have none, as in EfficientNetV2). */
  seRatio: number;
  /** Stem channels (from the backbone). */
  stemChannels: number;
  /** Head channels. */
  headChannels: number;
  /** Image size the samples are built for. */
  resolution: number;
  /** The stages, in order. */
  stages: readonly SearchSpaceStage[];
}

const range = (max: number) => Array.from({ length: max }, (_, i) => i + 1);

/**
 * The EfficientNetV2 search space over the EfficientNet-B0 backbone: B0's stem (32), stage
 * strides and widths (16, 24, 40, 80, 112, 192, 320) and head (1280); each stage chooses 1 to
 * twice B0's repeats layers (at least 2), op, kernel and expansion.
 */
export const V2_SEARCH_SPACE: Readonly<SearchSpace> = Object.freeze<SearchSpace>({
  ops: ['mbconv', 'fused-mbconv'],
  kernels: [3, 5],
  expansions: [1, 4, 6],
  seRatio: 0.25,
  stemChannels: 32,
  headChannels: 1280,
  resolution: 224,
  stages: [
    { stride: 1, outChannels: 16, layers: range(2) },
    { stride: 2, outChannels: 24, layers: range(4) },
    { stride: 2, outChannels: 40, layers: range(4) },
    { stride: 2, outChannels: 80, layers: range(6) },
    { stride: 1, outChannels: 112, layers: range(6) },
    { stride: 2, outChannels: 192, layers: range(8) },
    { stride: 1, outChannels: 320, layers: range(2) },
  ],
});

function checkSpace(space: SearchSpace): void {
  const lists: [string, readonly unknown[]][] = [
    ['ops', space.ops],
    ['kernels', space.kernels],
    ['expansions', space.expansions],
    ['stages', space.stages],
  ];
  for (const [name, list] of lists) {
    if (!Array.isArray(list) || list.length === 0) throw new EffnetConfigError(`space.${name}`, `space.${name} must be a non-empty list`);
  }
  space.stages.forEach((stage, i) => {
    if (!Array.isArray(stage.layers) || stage.layers.length === 0) throw new EffnetConfigError(`space.stages[${i}].layers`, 'each stage needs at least one layer count');
  });
}

/**
 * Draws one architecture from a search space, reproducibly: the same seed gives the same spec.
 * MBConv stages get SE; Fused-MBConv stages do not. The result is a `custom` ModelSpec resolved
 * with google/automl's rules ('same' padding) whose `stages` record the choices.
 *
 * @param seed - Any safe integer.
 * @param space - The space to sample (default {@link V2_SEARCH_SPACE}).
 * @returns A valid, fully resolved spec named `v2-search-<seed>`.
 * @throws EffnetConfigError when the seed is not a safe integer or the space is malformed.
 */
export function sampleSearchSpace(seed: number, space: SearchSpace = V2_SEARCH_SPACE): ModelSpec {
  requireInteger('seed', seed, Number.MIN_SAFE_INTEGER);
  checkSpace(space);
  const random = seededRandom(seed);
  const stages: BlockArgs[] = space.stages.map((stage) => {
    const kind = random.pick(space.ops);
    const args: BlockArgs = {
      kind,
      repeats: random.pick(stage.layers),
      kernel: random.pick(space.kernels),
      stride: stage.stride,
      expand: random.pick(space.expansions),
      outChannels: stage.outChannels,
      skip: true,
    };
    if (kind === 'mbconv') args.seRatio = space.seRatio;
    return args;
  });
  return modelSpecFromStages(stages, {
    name: `v2-search-${seed}`,
    family: 'custom',
    convention: 'automl',
    stem: { channels: space.stemChannels },
    head: { channels: space.headChannels, scaleWithWidth: true },
    resolution: space.resolution,
    batchNorm: { eps: 1e-3, momentum: 0.1 },
  });
}

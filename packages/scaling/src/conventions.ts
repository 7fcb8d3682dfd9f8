// The rounding rules of the two reference implementations, as policy objects passed to the one
// generic resolver (policies are functions, not branches). torchvision 0.14's
// efficientnet.py (`_make_divisible`, `adjust_channels`) and google/automl's efficientnet /
// efficientnetv2 builders (`round_filters`, `input_filters * expand_ratio`; V2's round_filters has no
// "not below 90 %" rule).
import { roundFilters } from './rounding.js';
import type { ScalingConvention } from './model-spec.js';

/** The per-block rules a convention decides. */
export interface ConventionRules {
  /** Stage width after scaling by the width multiplier. */
  stageChannels(channels: number, width: number): number;
  /** Hidden width of a block with input `inChannels` and expansion `expand`. */
  expandedChannels(inChannels: number, expand: number): number;
  /** Squeeze-excitation bottleneck width for a block input and SE ratio. */
  seChannels(inChannels: number, seRatio: number): number;
  /** Drop-path rate of block `index` (0-based) of `total`, given the network's rate. */
  dropPath(index: number, total: number, rate: number): number;
}

function seFromInput(inChannels: number, seRatio: number): number {
  return Math.max(1, Math.floor(inChannels * seRatio));
}

function linearDropPath(index: number, total: number, rate: number): number {
  return (rate * index) / total;
}

/** The rules of each convention. */
export const CONVENTIONS: Readonly<Record<ScalingConvention, ConventionRules>> = Object.freeze({
  torchvision: {
    stageChannels: (channels, width) => roundFilters(channels, width),
    expandedChannels: (inChannels, expand) => roundFilters(inChannels, expand),
    seChannels: seFromInput,
    dropPath: linearDropPath,
  },
  automl: {
    stageChannels: (channels, width) => roundFilters(channels, width),
    expandedChannels: (inChannels, expand) => Math.max(1, Math.round(inChannels * expand)),
    seChannels: seFromInput,
    dropPath: linearDropPath,
  },
  'automl-v2': {
    stageChannels: (channels, width) => roundFilters(channels, width, 8, 0),
    expandedChannels: (inChannels, expand) => Math.max(1, Math.round(inChannels * expand)),
    seChannels: seFromInput,
    dropPath: linearDropPath,
  },
});

// customSpec(): a custom backbone from a list of block strings plus stem and head options,
// resolved by the same stage-table resolver as every preset.
import { requireInteger } from './config-checks.js';
import { EffnetConfigError } from './errors.js';
import type { BlockArgs, HeadRule, ModelSpec } from './model-spec.js';
import { modelSpecFromStages, type StageTableOptions } from './stage-table.js';

/** Options of {@link customSpec}: the stage table, stem and head, plus any {@link StageTableOptions}. */
export interface CustomSpecOptions extends Omit<StageTableOptions, 'head' | 'family'> {
  /** One block string (see `decodeBlock`) or BlockArgs per stage. */
  blocks: readonly (string | BlockArgs)[];
  /**
   * Head: `{ channels }` (scaled with width), or a full {@link HeadRule}. Default 1280 scaled with width.
   */
  head?: { channels: number } | HeadRule;
}

/**
 * Builds a `custom` family ModelSpec from block strings, e.g.
 * `customSpec({ blocks: ['r1_k3_s1_e1_i16_o16_c1', 'r2_k3_s2_e4_o32_se0.25'], stem: { channels: 16 }, head: { channels: 256 }, numClasses: 10 })`.
 * Stages without `i` take the previous stage's output; the stem needs `channels` when the first stage has no `i`.
 *
 * @param options - The blocks, stem, head, multipliers and model options.
 * @returns The resolved spec (it carries its stage table, so `scale()` works on it).
 * @throws EffnetConfigError naming the bad option; BlockStringError for a malformed block string.
 */
export function customSpec(options: CustomSpecOptions): ModelSpec {
  if (typeof options !== 'object' || options === null) throw new EffnetConfigError('options', 'customSpec() needs { blocks: [...block strings], stem?, head?, ... }');
  if (!Array.isArray(options.blocks) || options.blocks.length === 0) {
    throw new EffnetConfigError('blocks', `blocks must be a non-empty list of block strings or BlockArgs, got ${JSON.stringify(options.blocks)}`);
  }
  const { blocks, head, ...rest } = options;
  let rule: HeadRule | undefined;
  if (head && !('multipleOfLastStage' in head) && !('scaleWithWidth' in head)) {
    rule = { channels: requireInteger('head.channels', head.channels), scaleWithWidth: true };
  } else {
    rule = head;
  }
  return modelSpecFromStages(blocks, { name: 'custom', ...rest, family: 'custom', ...(rule ? { head: rule } : {}) });
}

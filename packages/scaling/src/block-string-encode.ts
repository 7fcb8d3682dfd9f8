// Writes BlockArgs back as a canonical block string (google/automl's or timm's form), the inverse
// of decodeBlock; the grammar is documented on decodeBlock.
import type { BlockStringFormat } from './block-string-decode.js';
import { requireInteger, requireOneOf, requirePositive } from './config-checks.js';
import { EffnetConfigError } from './errors.js';
import type { BlockArgs } from './model-spec.js';

/** Options of {@link encodeBlock}. */
export interface EncodeBlockOptions {
  /** Which form to write; default `automl`, or `timm` for a `ds` block (automl has no such block). */
  format?: BlockStringFormat;
}

const TIMM_TYPE = { mbconv: 'ir', 'fused-mbconv': 'er', ds: 'ds' } as const;

/** Checks every field of `args` and returns them, so an encoded string always decodes. */
export function checkBlockArgs(args: BlockArgs, field = 'blockArgs'): BlockArgs {
  if (typeof args !== 'object' || args === null) throw new EffnetConfigError(field, `${field} must be a BlockArgs object, got ${String(args)}`);
  requireOneOf(`${field}.kind`, args.kind, ['mbconv', 'fused-mbconv', 'ds']);
  requireInteger(`${field}.repeats`, args.repeats);
  requireInteger(`${field}.kernel`, args.kernel);
  requireInteger(`${field}.stride`, args.stride);
  if (args.stride > 9) throw new EffnetConfigError(`${field}.stride`, `${field}.stride must be 1-9 (block strings write it as one digit), got ${args.stride}`);
  requirePositive(`${field}.expand`, args.expand);
  if (args.kind === 'ds' && args.expand !== 1) throw new EffnetConfigError(`${field}.expand`, `a ds block has no expansion: ${field}.expand must be 1, got ${args.expand}`);
  if (args.inChannels !== undefined) requireInteger(`${field}.inChannels`, args.inChannels);
  requireInteger(`${field}.outChannels`, args.outChannels);
  if (args.seRatio !== undefined) {
    requirePositive(`${field}.seRatio`, args.seRatio);
    if (args.seRatio > 1) throw new EffnetConfigError(`${field}.seRatio`, `${field}.seRatio must be in (0, 1], got ${args.seRatio}`);
  }
  if (typeof args.skip !== 'boolean') throw new EffnetConfigError(`${field}.skip`, `${field}.skip must be true or false, got ${String(args.skip)}`);
  return args;
}

/**
 * Writes `args` as a canonical block string. automl: `r_k_s_e[_i]_o[_c1][_se][_noskip]` with a
 * one-digit stride (`c1` only for Fused-MBConv); timm: `ir|er|ds_r_k_s_e_c[_se][_noskip]`.
 *
 * @param args - The block args; every field is checked.
 * @param options - `format`: `automl` (default) or `timm` (default for `ds`).
 * @returns The string; `decodeBlock` of it deep-equals `args`.
 * @throws EffnetConfigError naming the bad field, or `format` when the form cannot say it
 *   (automl has no `ds` block; timm has no input-channel option).
 * @example encodeBlock({ kind: 'fused-mbconv', repeats: 2, kernel: 3, stride: 2, expand: 4, inChannels: 24, outChannels: 48, skip: true })
 * // 'r2_k3_s2_e4_i24_o48_c1'
 */
export function encodeBlock(args: BlockArgs, options: EncodeBlockOptions = {}): string {
  checkBlockArgs(args);
  const format = requireOneOf('format', options.format ?? (args.kind === 'ds' ? 'timm' : 'automl'), ['automl', 'timm']);
  const parts: string[] = [];
  if (format === 'timm') {
    if (args.inChannels !== undefined) {
      throw new EffnetConfigError('format', "timm block strings cannot state input channels: drop inChannels or use format 'automl'");
    }
    parts.push(TIMM_TYPE[args.kind], `r${args.repeats}`, `k${args.kernel}`, `s${args.stride}`, `e${args.expand}`, `c${args.outChannels}`);
  } else {
    if (args.kind === 'ds') throw new EffnetConfigError('format', "automl block strings have no ds block: use format 'timm', or kind 'mbconv' with expand 1");
    parts.push(`r${args.repeats}`, `k${args.kernel}`, `s${args.stride}`, `e${args.expand}`);
    if (args.inChannels !== undefined) parts.push(`i${args.inChannels}`);
    parts.push(`o${args.outChannels}`);
    if (args.kind === 'fused-mbconv') parts.push('c1');
  }
  if (args.seRatio !== undefined) parts.push(`se${args.seRatio}`);
  if (!args.skip) parts.push('noskip');
  return parts.join('_');
}

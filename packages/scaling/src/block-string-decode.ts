// Decodes one block string (google/automl's or timm's form) into BlockArgs. The grammar is
// documented once, here, on decodeBlock. Follows the block strings of
// google/automl's efficientnet_builder / effnetv2_configs and timm's _efficientnet_builder.
import { BlockStringError } from './errors.js';
import type { BlockArgs, BlockKind } from './model-spec.js';

/** The two spellings of a block string. */
export type BlockStringFormat = 'automl' | 'timm';

/** timm's leading block-type token and the block kind it names. */
export const TIMM_BLOCK_TYPES: Readonly<Record<string, BlockKind>> = Object.freeze({ ir: 'mbconv', er: 'fused-mbconv', ds: 'ds' });

interface Token {
  text: string;
  position: number;
  key: string;
  value: string;
}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/;
const INTEGER = /^\d+$/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (const text of input.split('_')) {
    const match = /^([a-z]+)(.*)$/.exec(text);
    if (!match) {
      const reason = text === '' ? 'empty option (two underscores, or one at an end)' : 'an option starts with a lowercase key such as r, k, s, e, o';
      throw new BlockStringError(input, text, position, reason);
    }
    tokens.push({ text, position, key: match[1], value: match[2] });
    position += text.length + 1;
  }
  return tokens;
}

function integer(input: string, token: Token, what: string): number {
  if (!INTEGER.test(token.value) || Number(token.value) < 1) {
    throw new BlockStringError(input, token.text, token.position, `${what} must be an integer ≥ 1`);
  }
  return Number(token.value);
}

function positive(input: string, token: Token, what: string, max = Infinity): number {
  const value = Number(token.value);
  if (!NUMBER.test(token.value) || !(value > 0) || value > max) {
    const range = max === Infinity ? 'a number > 0' : `a number in (0, ${max}]`;
    throw new BlockStringError(input, token.text, token.position, `${what} must be ${range}`);
  }
  return value;
}

function stride(input: string, token: Token): number {
  const digits = token.value;
  if (!/^[1-9][1-9]?$/.test(digits)) {
    throw new BlockStringError(input, token.text, token.position, "stride is one digit 1-9, or the same digit twice (s2 or s22)");
  }
  if (digits.length === 2 && digits[0] !== digits[1]) {
    throw new BlockStringError(input, token.text, token.position, 'only square strides are supported (s11, s22, …)');
  }
  return Number(digits[0]);
}

/**
 * Decodes a block string into {@link BlockArgs}: one stage of `repeats` identical blocks.
 *
 * Grammar (options are separated by `_`, each may appear once, in any order):
 * ```text
 * block      = automl | timm
 * automl     = option *( "_" option )                  ; google/automl, e.g. r2_k3_s2_e4_i24_o48_c1
 * timm       = type "_" option *( "_" option )         ; timm, e.g. ir_r2_k3_s2_e6_c24_se0.25
 * type       = "ir" (MBConv) | "er" (Fused-MBConv, timm's edge residual) | "ds" (depthwise-separable)
 * option     = "r" int      repeats                         (required)
 *            | "k" int      kernel size, square              (required)
 *            | "s" d | "s" d d   stride; s2 and s22 both mean 2; the two digits must agree (required)
 *            | "e" num      expansion ratio                  (required; timm ds: optional, only e1)
 *            | "i" int      input channels                   (automl only, optional)
 *            | "o" int      output channels                  (automl, required)
 *            | "c" int      automl: conv type, c1 = Fused-MBConv, c0 = MBConv (default MBConv)
 *                           timm: output channels            (required)
 *            | "se" num     squeeze-excitation ratio of the block input, 0 < se ≤ 1 (optional)
 *            | "noskip"     no residual connection even where shapes allow one
 * int        = digits, ≥ 1;  num = decimal number > 0 (1, 0.25, 4.5);  d = digit 1-9
 * ```
 * The form is detected by the first token: `ir`, `er` or `ds` is timm, anything else automl.
 * {@link encodeBlock} writes the canonical form back, and `decodeBlock(encodeBlock(b))` deep-equals `b`.
 *
 * @param blockString - One block string.
 * @returns The decoded args; `inChannels` and `seRatio` are present only when the string states them.
 * @throws BlockStringError with the offending token and its 0-based character position when the
 *   string breaks the grammar (unknown or repeated option, bad value, missing required option; a
 *   missing option is reported as its key at position `blockString.length`).
 * @example decodeBlock('r2_k3_s22_e6_i16_o24_se0.25')
 * // { kind: 'mbconv', repeats: 2, kernel: 3, stride: 2, expand: 6, inChannels: 16, outChannels: 24, seRatio: 0.25, skip: true }
 */
export function decodeBlock(blockString: string): BlockArgs {
  if (typeof blockString !== 'string') {
    throw new BlockStringError(String(blockString), String(blockString), 0, `a block string must be a string, got ${typeof blockString}`);
  }
  const input = blockString;
  const tokens = tokenize(input);
  const first = tokens[0];
  const timmKind = first.value === '' ? TIMM_BLOCK_TYPES[first.key] : undefined;
  const format: BlockStringFormat = timmKind ? 'timm' : 'automl';
  const options = timmKind ? tokens.slice(1) : tokens;
  if (timmKind && options.length === 0) throw new BlockStringError(input, first.text, first.position, 'a timm block type needs options after it (r, k, s, e, c)');

  const seen = new Map<string, Token>();
  let kind: BlockKind = timmKind ?? 'mbconv';
  const parsed: { repeats?: number; kernel?: number; stride?: number; expand?: number; inChannels?: number; outChannels?: number; seRatio?: number } = {};
  let skip = true;
  for (const token of options) {
    const earlier = seen.get(token.key);
    if (earlier) throw new BlockStringError(input, token.text, token.position, `option '${token.key}' appears twice (first at position ${earlier.position})`);
    seen.set(token.key, token);
    switch (token.key) {
      case 'r':
        parsed.repeats = integer(input, token, 'repeats (r)');
        break;
      case 'k':
        parsed.kernel = integer(input, token, 'kernel (k)');
        break;
      case 's':
        parsed.stride = stride(input, token);
        break;
      case 'e':
        parsed.expand = positive(input, token, 'expansion ratio (e)');
        if (kind === 'ds' && parsed.expand !== 1) throw new BlockStringError(input, token.text, token.position, 'a ds block has no expansion: only e1 is allowed');
        break;
      case 'se':
        parsed.seRatio = positive(input, token, 'SE ratio (se)', 1);
        break;
      case 'noskip':
        if (token.value !== '') throw new BlockStringError(input, token.text, token.position, "'noskip' takes no value");
        skip = false;
        break;
      case 'i':
        if (format === 'timm') throw new BlockStringError(input, token.text, token.position, "timm block strings have no 'i' option; use the automl form for input channels");
        parsed.inChannels = integer(input, token, 'input channels (i)');
        break;
      case 'o':
        if (format === 'timm') throw new BlockStringError(input, token.text, token.position, "timm block strings give output channels as 'c', not 'o'");
        parsed.outChannels = integer(input, token, 'output channels (o)');
        break;
      case 'c':
        if (format === 'timm') {
          parsed.outChannels = integer(input, token, 'output channels (c)');
        } else if (token.value === '0' || token.value === '1') {
          kind = token.value === '1' ? 'fused-mbconv' : 'mbconv';
        } else {
          throw new BlockStringError(input, token.text, token.position, 'conv type (c) is c0 (MBConv) or c1 (Fused-MBConv)');
        }
        break;
      default: {
        const known = format === 'timm' ? 'r, k, s, e, c, se, noskip' : 'r, k, s, e, i, o, c, se, noskip';
        const hint = token.position === 0 && format === 'automl' ? `; a timm string starts with ${Object.keys(TIMM_BLOCK_TYPES).join(', ')}` : '';
        throw new BlockStringError(input, token.text, token.position, `unknown option '${token.key}' (${format} options: ${known}${hint})`);
      }
    }
  }

  if (kind === 'ds' && parsed.expand === undefined) parsed.expand = 1;
  const outKey = format === 'timm' ? 'c' : 'o';
  const need = (value: number | undefined, key: string, field: string): number => {
    if (value === undefined) throw new BlockStringError(input, key, input.length, `missing required option '${key}' (${field})`);
    return value;
  };
  const args: BlockArgs = {
    kind,
    repeats: need(parsed.repeats, 'r', 'repeats'),
    kernel: need(parsed.kernel, 'k', 'kernel'),
    stride: need(parsed.stride, 's', 'stride'),
    expand: need(parsed.expand, 'e', 'expand'),
    outChannels: need(parsed.outChannels, outKey, 'outChannels'),
    skip,
  };
  if (parsed.inChannels !== undefined) args.inChannels = parsed.inChannels;
  if (parsed.seRatio !== undefined) args.seRatio = parsed.seRatio;
  return args;
}

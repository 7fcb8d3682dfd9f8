// The block-string DSL: both forms decode to the expected BlockArgs, canonical strings round-trip,
// malformed strings throw BlockStringError with the token and its position, and a fast-check
// property over random BlockArgs for both forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockStringError, decodeBlock, EffnetConfigError, encodeBlock, STAGE_TABLES, type BlockArgs } from './index.js';

describe('decodeBlock', () => {
  it('decodes the google/automl form', () => {
    expect(decodeBlock('r2_k3_s2_e4_i24_o48_c1')).toStrictEqual({
      kind: 'fused-mbconv', repeats: 2, kernel: 3, stride: 2, expand: 4, inChannels: 24, outChannels: 48, skip: true,
    });
    expect(decodeBlock('r6_k3_s2_e4_i64_o128_se0.25')).toStrictEqual({
      kind: 'mbconv', repeats: 6, kernel: 3, stride: 2, expand: 4, inChannels: 64, outChannels: 128, seRatio: 0.25, skip: true,
    });
    expect(decodeBlock('r1_k5_s11_e6_o40_noskip_c0')).toStrictEqual({
      kind: 'mbconv', repeats: 1, kernel: 5, stride: 1, expand: 6, outChannels: 40, skip: false,
    });
  });

  it('reads s2 and s22 as the same stride, in any option order', () => {
    expect(decodeBlock('r2_k3_s22_e6_i16_o24_se0.25')).toStrictEqual(decodeBlock('r2_k3_s2_e6_i16_o24_se0.25'));
    expect(decodeBlock('o24_se0.25_i16_e6_s22_k3_r2')).toStrictEqual(decodeBlock('r2_k3_s2_e6_i16_o24_se0.25'));
  });

  it('decodes the timm form, detected by its leading block type', () => {
    expect(decodeBlock('ir_r2_k3_s2_e6_c24_se0.25')).toStrictEqual({
      kind: 'mbconv', repeats: 2, kernel: 3, stride: 2, expand: 6, outChannels: 24, seRatio: 0.25, skip: true,
    });
    expect(decodeBlock('er_r4_k3_s2_e4_c48')).toStrictEqual({ kind: 'fused-mbconv', repeats: 4, kernel: 3, stride: 2, expand: 4, outChannels: 48, skip: true });
    expect(decodeBlock('ds_r1_k3_s1_c16_se0.25_noskip')).toStrictEqual({
      kind: 'ds', repeats: 1, kernel: 3, stride: 1, expand: 1, outChannels: 16, seRatio: 0.25, skip: false,
    });
    expect(decodeBlock('ds_r1_k3_s1_e1_c16')).toStrictEqual(decodeBlock('ds_r1_k3_s1_c16'));
  });

  it.each([
    ['r2_k3_s2_e4_i24_o48_x9', 'x9', 20, /unknown option 'x'/],
    ['r2_k0_s2_e4_o48', 'k0', 3, /kernel/],
    ['r2_k3_s12_e4_o48', 's12', 6, /square/],
    ['r2_k3_s0_e4_o48', 's0', 6, /stride/],
    ['r2_k3_s2_e4_o48_r3', 'r3', 16, /twice \(first at position 0\)/],
    ['r2_k3_s2_e4', 'o', 11, /missing required option 'o'/],
    ['r2__k3_s2_e4_o8', '', 3, /empty option/],
    ['_r2_k3_s2_e4_o8', '', 0, /empty option/],
    ['ir_r2_k3_s2_e6_o24', 'o24', 15, /'c', not 'o'/],
    ['ir_r2_k3_s2_e6_i16_c24', 'i16', 15, /no 'i' option/],
    ['ds_r1_k3_s1_e6_c16', 'e6', 12, /only e1/],
    ['r2_k3_s2_e4_o48_se1.5', 'se1.5', 16, /SE ratio/],
    ['r2_k3_s2_e4_o48_se0', 'se0', 16, /SE ratio/],
    ['r2_k3_s2_e4_o48_c2', 'c2', 16, /c0 .* or c1/],
    ['R2_k3_s2_e4_o48', 'R2', 0, /lowercase key/],
    ['', '', 0, /empty option/],
    ['ir', 'ir', 0, /needs options/],
    ['r2_k3_s2_e0_o48', 'e0', 9, /expansion/],
    ['r2_k3_s2_e-1_o48', 'e-1', 9, /expansion/],
    ['r1.5_k3_s2_e4_o48', 'r1.5', 0, /repeats/],
    ['r2_k3_s2_e4_o48_noskip1', 'noskip1', 16, /takes no value/],
    ['r2_k3_s2_e4_o48_c1_ir', 'ir', 19, /unknown option 'ir'/],
    ['xx_r2_k3_s2_e4_o48', 'xx', 0, /timm string starts with ir, er, ds/],
    ['ir_r2_k3_s2_e6', 'c', 14, /missing required option 'c'/],
  ])('rejects %j at token %j, position %d', (input, token, position, reason) => {
    let caught: unknown;
    try {
      decodeBlock(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BlockStringError);
    expect(caught).toBeInstanceOf(EffnetConfigError);
    const error = caught as BlockStringError;
    expect(error.token).toBe(token);
    expect(error.position).toBe(position);
    expect(error.input).toBe(input);
    expect(error.field).toBe('blockString');
    expect(error.message).toMatch(reason);
    expect(error.message).toContain(`position ${position}`);
  });

  it('rejects a value that is not a string', () => {
    expect(() => decodeBlock(42 as unknown as string)).toThrow(BlockStringError);
  });
});

describe('encodeBlock', () => {
  it('writes every preset stage string back unchanged (the tables are canonical)', () => {
    for (const strings of Object.values(STAGE_TABLES)) {
      for (const text of strings) expect(encodeBlock(decodeBlock(text))).toBe(text);
    }
  });

  it('writes the timm form on request, and for ds blocks by default', () => {
    const args = decodeBlock('r2_k3_s2_e6_o24_se0.25');
    expect(encodeBlock(args, { format: 'timm' })).toBe('ir_r2_k3_s2_e6_c24_se0.25');
    expect(encodeBlock(decodeBlock('r4_k3_s2_e4_o48_c1_noskip'), { format: 'timm' })).toBe('er_r4_k3_s2_e4_c48_noskip');
    expect(encodeBlock(decodeBlock('ds_r1_k3_s1_c16'))).toBe('ds_r1_k3_s1_e1_c16');
  });

  it('refuses what a form cannot say, and bad fields, naming the field', () => {
    const fields = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(EffnetConfigError);
        return (error as EffnetConfigError).field;
      }
      throw new Error('expected an error');
    };
    const base: BlockArgs = { kind: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 6, outChannels: 16, skip: true };
    expect(fields(() => encodeBlock({ ...base, inChannels: 8 }, { format: 'timm' }))).toBe('format');
    expect(fields(() => encodeBlock({ ...base, kind: 'ds', expand: 1 }, { format: 'automl' }))).toBe('format');
    expect(fields(() => encodeBlock({ ...base, repeats: 0 }))).toBe('blockArgs.repeats');
    expect(fields(() => encodeBlock({ ...base, stride: 10 }))).toBe('blockArgs.stride');
    expect(fields(() => encodeBlock({ ...base, expand: -2 }))).toBe('blockArgs.expand');
    expect(fields(() => encodeBlock({ ...base, seRatio: 2 }))).toBe('blockArgs.seRatio');
    expect(fields(() => encodeBlock({ ...base, kind: 'ds' }))).toBe('blockArgs.expand');
    expect(fields(() => encodeBlock({ ...base, kind: 'conv' as 'ds' }))).toBe('blockArgs.kind');
    expect(fields(() => encodeBlock(base, { format: 'keras' as 'timm' }))).toBe('format');
  });
});

const ratio = fc.oneof(fc.constantFrom(0.25, 0.5, 1), fc.double({ min: 1e-6, max: 1, noNaN: true }));
const expansion = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.double({ min: 1e-3, max: 16, noNaN: true }));
const common = {
  repeats: fc.integer({ min: 1, max: 64 }),
  kernel: fc.integer({ min: 1, max: 11 }),
  stride: fc.integer({ min: 1, max: 9 }),
  outChannels: fc.integer({ min: 1, max: 4096 }),
  seRatio: ratio,
  skip: fc.boolean(),
};
const required = ['kind', 'repeats', 'kernel', 'stride', 'expand', 'outChannels', 'skip'] as const;

const automlArgs: fc.Arbitrary<BlockArgs> = fc.record(
  { ...common, kind: fc.constantFrom('mbconv' as const, 'fused-mbconv' as const), expand: expansion, inChannels: fc.integer({ min: 1, max: 4096 }) },
  { requiredKeys: [...required], noNullPrototype: true },
);
const timmArgs: fc.Arbitrary<BlockArgs> = fc.oneof(
  fc.record({ ...common, kind: fc.constantFrom('mbconv' as const, 'fused-mbconv' as const), expand: expansion }, { requiredKeys: [...required], noNullPrototype: true }),
  fc.record({ ...common, kind: fc.constant('ds' as const), expand: fc.constant(1) }, { requiredKeys: [...required], noNullPrototype: true }),
);

describe('decodeBlock(encodeBlock(b)) deep-equals b', () => {
  it('for 1,000 random google/automl BlockArgs', () => {
    fc.assert(
      fc.property(automlArgs, (args) => {
        const text = encodeBlock(args, { format: 'automl' });
        expect(decodeBlock(text)).toStrictEqual(args);
        expect(encodeBlock(decodeBlock(text))).toBe(text);
      }),
      { numRuns: 1000, seed: 20260101 },
    );
  });

  it('for 1,000 random timm BlockArgs', () => {
    fc.assert(
      fc.property(timmArgs, (args) => {
        const text = encodeBlock(args, { format: 'timm' });
        expect(text.slice(0, 3)).toBe({ mbconv: 'ir_', 'fused-mbconv': 'er_', ds: 'ds_' }[args.kind]);
        expect(decodeBlock(text)).toStrictEqual(args);
      }),
      { numRuns: 1000, seed: 20260102 },
    );
  });
});

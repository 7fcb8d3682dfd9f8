import { describe, expect, it } from 'vitest';
import { cost, preset } from '@effnet/scaling';
import { PROXY_28_FRAME, PROXY_28_SPACE, stageSpace, templateSpace } from './choice-space.js';
import { EffnetSearchError } from './errors.js';

// efficientnetv2-28-lite's choices: per stage [op, layers, kernel, expansion] option indices.
const LITE_GENOME = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1];

describe('stageSpace', () => {
  const space = stageSpace(PROXY_28_SPACE, PROXY_28_FRAME);

  it('has four slots per stage', () => {
    expect(space.slots.map((s) => s.name).slice(0, 4)).toEqual(['stage0.op', 'stage0.layers', 'stage0.kernel', 'stage0.expand']);
    expect(space.slots).toHaveLength(16);
    expect(space.slots[13]!.options).toEqual(['1', '2', '3']);
  });

  it('decodes the lite genome to efficientnetv2-28-lite\'s blocks and parameter count', () => {
    expect(space.blocks(LITE_GENOME)).toEqual(['r1_k3_s2_e1_i16_o32_c1', 'r1_k3_s1_e1_i32_o32_c1', 'r1_k3_s2_e2_i32_o48_c1', 'r2_k3_s1_e2_i48_o64_se0.25']);
    const spec = space.spec(LITE_GENOME, 'lite-again');
    expect(spec.name).toBe('lite-again');
    expect(cost(spec).params).toBe(87_414);
    expect(spec.blocks).toEqual(preset('efficientnetv2-28-lite').blocks);
  });

  it('refuses a genome of the wrong length or with an option out of range', () => {
    expect(() => space.blocks([0, 1])).toThrow(EffnetSearchError);
    expect(() => space.blocks(LITE_GENOME.map((g, i) => (i === 13 ? 3 : g)))).toThrow(/stage3.layers/);
  });
});

describe('templateSpace', () => {
  it('makes one slot per {a|b} group and fills the templates in order', () => {
    const space = templateSpace(['r1_k{3|5}_s2_e1_i16_o32_c1', 'r{1|2|3}_k3_s1_e{2|4}_i32_o48_se0.25'], PROXY_28_FRAME);
    expect(space.slots.map((s) => [s.name, s.options])).toEqual([['block0.choice0', ['3', '5']], ['block1.choice0', ['1', '2', '3']], ['block1.choice1', ['2', '4']]]);
    expect(space.blocks([1, 2, 0])).toEqual(['r1_k5_s2_e1_i16_o32_c1', 'r3_k3_s1_e2_i32_o48_se0.25']);
    expect(space.spec([1, 2, 0]).blocks).toHaveLength(4);
  });

  it('refuses templates whose options do not decode, naming the template', () => {
    expect(() => templateSpace(['r1_k{3|0}_s2_e1_i16_o32_c1'])).toThrow(/templates\[0\]: 'r1_k0_s2_e1_i16_o32_c1' does not decode/);
    expect(() => templateSpace(['r1_k{3|}_s2_e1_i16_o32'])).toThrow(/empty option/);
    expect(() => templateSpace([])).toThrow(EffnetSearchError);
  });
});

// A search space as a list of choice slots: a candidate (its genome) is one option index per slot.
// Two kinds of space reduce to it: @effnet/scaling's factorised SearchSpace (EfficientNetV2 2021,
// section 3.3: per stage op, layers, kernel, expansion) and block-string templates whose `{a|b}`
// groups are the choices (`r{1|2}_k{3|5}_s2_e{1|4}_i16_o32_c1`). Genomes decode to full ModelSpecs.
import { decodeBlock, encodeBlock, modelSpecFromStages, type BlockArgs, type ModelSpec, type SearchSpace, type StageTableOptions } from '@effnet/scaling';
import { EffnetSearchError } from './errors.js';

/** One choice of the space and the options it picks from. */
export interface ChoiceSlot {
  /** Where the choice is, e.g. `stage2.kernel` or `block1.choice0`. */
  name: string;
  /** The options, as they appear in block strings (`3`, `mbconv`…). */
  options: readonly string[];
}

/** A space of architectures: slots to choose in, and the decoding of a genome. */
export interface ChoiceSpace {
  /** The slots, in genome order. */
  slots: readonly ChoiceSlot[];
  /** The block strings of a genome (one per stage). */
  blocks(genome: readonly number[]): string[];
  /** The fully resolved spec of a genome. */
  spec(genome: readonly number[], name?: string): ModelSpec;
}

/** How specs of a space are built around their stages (stem, head, classes…): `modelSpecFromStages` options. */
export type SpecFrame = Omit<StageTableOptions, 'name'>;

/**
 * The proxy-scale space for 28×28 grey images (Fashion-MNIST, MNIST), around `efficientnetv2-28-lite`:
 * its stem (16, stride 1), stage strides and widths (32, 32, 48, 64) and head (192); each stage
 * chooses op, 1-2 layers (1-3 in the last), kernel 3 or 5 and expansion 1, 2 or 4.
 */
export const PROXY_28_SPACE: Readonly<SearchSpace> = Object.freeze<SearchSpace>({
  ops: ['fused-mbconv', 'mbconv'],
  kernels: [3, 5],
  expansions: [1, 2, 4],
  seRatio: 0.25,
  stemChannels: 16,
  headChannels: 192,
  resolution: 28,
  stages: [
    { stride: 2, outChannels: 32, layers: [1, 2] },
    { stride: 1, outChannels: 32, layers: [1, 2] },
    { stride: 2, outChannels: 48, layers: [1, 2] },
    { stride: 1, outChannels: 64, layers: [1, 2, 3] },
  ],
});

/** The frame of `efficientnetv2-28-lite` (stride-1 stem, fixed 192 head, torchvision rounding, no drop path). */
export const PROXY_28_FRAME: Readonly<SpecFrame> = Object.freeze<SpecFrame>({
  family: 'custom', convention: 'torchvision', stem: { channels: 16, stride: 1 }, head: { channels: 192, scaleWithWidth: false },
  dropout: 0.1, dropPath: 0, batchNorm: { eps: 1e-5, momentum: 0.1 }, resolution: 28, numClasses: 10, inChannels: 1,
});

function checkGenome(slots: readonly ChoiceSlot[], genome: readonly number[]): void {
  if (!Array.isArray(genome) || genome.length !== slots.length) {
    throw new EffnetSearchError('genome', `needs ${slots.length} choices, got ${Array.isArray(genome) ? genome.length : String(genome)}`);
  }
  genome.forEach((g, i) => {
    if (!Number.isInteger(g) || g < 0 || g >= slots[i]!.options.length) {
      throw new EffnetSearchError('genome', `choice ${i} (${slots[i]!.name}) is ${g}; it must be an integer in [0, ${slots[i]!.options.length})`);
    }
  });
}

function build(stages: string[], frame: SpecFrame, name: string): ModelSpec {
  return modelSpecFromStages(stages, { ...frame, name });
}

/**
 * The choice space of a factorised SearchSpace: four slots per stage (op, layers, kernel, expansion).
 * MBConv stages get the space's SE ratio, Fused-MBConv stages none.
 *
 * @param space - The space (e.g. {@link PROXY_28_SPACE} or scaling's `V2_SEARCH_SPACE`).
 * @param frame - Stem, head, classes… of the specs (default: the space's stem, head and resolution).
 */
export function stageSpace(space: SearchSpace, frame: SpecFrame = {}): ChoiceSpace {
  if (!space || !Array.isArray(space.stages) || space.stages.length === 0) throw new EffnetSearchError('space', 'needs a non-empty list of stages');
  for (const key of ['ops', 'kernels', 'expansions'] as const) {
    if (!Array.isArray(space[key]) || space[key].length === 0) throw new EffnetSearchError(`space.${key}`, 'must be a non-empty list');
  }
  const slots: ChoiceSlot[] = space.stages.flatMap((stage, i) => [
    { name: `stage${i}.op`, options: [...space.ops] },
    { name: `stage${i}.layers`, options: stage.layers.map(String) },
    { name: `stage${i}.kernel`, options: space.kernels.map(String) },
    { name: `stage${i}.expand`, options: space.expansions.map(String) },
  ]);
  const fullFrame: SpecFrame = { stem: { channels: space.stemChannels }, head: { channels: space.headChannels, scaleWithWidth: true }, resolution: space.resolution, ...frame };
  const blocks = (genome: readonly number[]): string[] => {
    checkGenome(slots, genome);
    let inChannels = fullFrame.stem?.channels ?? space.stemChannels;
    return space.stages.map((stage, i) => {
      const pick = (k: number) => slots[i * 4 + k]!.options[genome[i * 4 + k]!]!;
      const kind = pick(0) as BlockArgs['kind'];
      const args: BlockArgs = {
        kind, repeats: Number(pick(1)), kernel: Number(pick(2)), stride: stage.stride, expand: Number(pick(3)),
        inChannels, outChannels: stage.outChannels, skip: true,
      };
      if (kind === 'mbconv') args.seRatio = space.seRatio;
      inChannels = stage.outChannels;
      return encodeBlock(args);
    });
  };
  return { slots, blocks, spec: (genome, name = 'search-candidate') => build(blocks(genome), fullFrame, name) };
}

const GROUP = /\{([^{}]*)\}/g;

/**
 * The choice space of block-string templates: every `{a|b|…}` group is a slot. Each filled
 * template must decode (checked for every option when the space is made).
 *
 * @param templates - One template per stage, e.g. `r{1|2}_k{3|5}_s2_e{1|4}_i16_o32_c1`.
 * @param frame - Stem, head, classes… of the specs.
 * @throws EffnetSearchError for an empty list, an empty group or a template that does not decode.
 */
export function templateSpace(templates: readonly string[], frame: SpecFrame = {}): ChoiceSpace {
  if (!Array.isArray(templates) || templates.length === 0) throw new EffnetSearchError('templates', 'needs at least one block-string template');
  const slots: ChoiceSlot[] = [];
  const owners: number[] = [];
  templates.forEach((template, t) => {
    if (typeof template !== 'string') throw new EffnetSearchError(`templates[${t}]`, 'must be a string');
    let g = 0;
    for (const match of template.matchAll(GROUP)) {
      const options = match[1]!.split('|');
      if (options.some((o) => o === '')) throw new EffnetSearchError(`templates[${t}]`, `group '${match[0]}' has an empty option: write {a|b}`);
      slots.push({ name: `block${t}.choice${g++}`, options });
      owners.push(t);
    }
  });
  const blocks = (genome: readonly number[]): string[] => {
    checkGenome(slots, genome);
    let k = 0;
    return templates.map((template) => template.replace(GROUP, () => slots[k]!.options[genome[k++]!]!));
  };
  // Every option of every slot must decode (with the other slots at their first option).
  slots.forEach((slot, s) => {
    slot.options.forEach((_, o) => {
      const genome = slots.map((_, i) => (i === s ? o : 0));
      const filled = blocks(genome)[owners[s]!]!;
      try {
        decodeBlock(filled);
      } catch (error) {
        throw new EffnetSearchError(`templates[${owners[s]}]`, `'${filled}' does not decode: ${(error as Error).message}`);
      }
    });
  });
  return { slots, blocks, spec: (genome, name = 'search-candidate') => build(blocks(genome), frame, name) };
}

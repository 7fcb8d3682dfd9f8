// How a search proposes its next candidate: random search, and regularised evolution (Real et
// al. 2019: tournament selection among the most recent `population` results, one-slot mutation,
// the oldest member ageing out). A proposal is a pure function of the seed, the candidate index
// and the results so far, so a resumed search proposes what an uninterrupted one would have.
import { SeededRandom } from '@effnet/schedules';
import { stepSeed } from '@effnet/train';
import type { ChoiceSlot } from './choice-space.js';
import { EffnetSearchError } from './errors.js';

/** Random search: every choice uniform, independent of the results. */
export interface RandomStrategy {
  /** Which strategy. */
  kind: 'random';
}

/** Regularised (ageing) evolution. */
export interface EvolutionStrategy {
  /** Which strategy. */
  kind: 'evolution';
  /** Candidates in the population (the first this many are random; default 8). */
  population?: number;
  /** Members drawn per tournament (default 3). */
  sampleSize?: number;
}

/** A search strategy. */
export type Strategy = RandomStrategy | EvolutionStrategy;

/** What a strategy sees of an evaluated candidate. */
export interface Evaluated {
  /** The candidate's choices. */
  genome: number[];
  /** Its reward. */
  reward: number;
}

/** A proposal: the genome and, for a mutation, the index of its parent. */
export interface Proposal {
  /** The choices. */
  genome: number[];
  /** Index (in the results) of the parent it was mutated from. */
  parent?: number;
}

/** Separates the proposal stream from the other uses of the search's seed. */
const SEED_SALT = 0x5ea6c4;

/** Tries at drawing a genome not seen before, before a repeat is accepted. */
const FRESH_TRIES = 20;

function randomGenome(slots: readonly ChoiceSlot[], random: SeededRandom): number[] {
  return slots.map((slot) => random.int(slot.options.length));
}

function mutate(genome: readonly number[], slots: readonly ChoiceSlot[], random: SeededRandom): number[] {
  const open = slots.map((slot, i) => (slot.options.length > 1 ? i : -1)).filter((i) => i >= 0);
  const child = [...genome];
  if (open.length === 0) return child;
  const i = open[random.int(open.length)]!;
  const other = random.int(slots[i]!.options.length - 1);
  child[i] = other >= genome[i]! ? other + 1 : other;
  return child;
}

/** Checks a strategy's options, returning them with defaults filled in. */
export function checkStrategy(strategy: Strategy): Required<EvolutionStrategy> | RandomStrategy {
  if (strategy?.kind === 'random') return strategy;
  if (strategy?.kind !== 'evolution') throw new EffnetSearchError('strategy', `must be 'random' or 'evolution', got ${JSON.stringify((strategy as { kind?: unknown } | undefined)?.kind)}`);
  const population = strategy.population ?? 8;
  const sampleSize = strategy.sampleSize ?? 3;
  if (!Number.isInteger(population) || population < 2) throw new EffnetSearchError('population', `must be an integer ≥ 2, got ${population}`);
  if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > population) throw new EffnetSearchError('sampleSize', `must be an integer in [1, population = ${population}], got ${sampleSize}`);
  return { kind: 'evolution', population, sampleSize };
}

/**
 * The next candidate of a search.
 *
 * @param strategy - Random search or regularised evolution.
 * @param slots - The space's choice slots.
 * @param seed - The search's seed.
 * @param history - Every result so far, in order (its length is the new candidate's index).
 */
export function propose(strategy: Strategy, slots: readonly ChoiceSlot[], seed: number, history: readonly Evaluated[]): Proposal {
  const checked = checkStrategy(strategy);
  // Hash the seed before mixing in the index: stepSeed mixes seed and step by XOR first, so
  // stepSeed(1, 2) equals stepSeed(2, 1) and two seeds would share shifted candidate sequences.
  const random = new SeededRandom(stepSeed(stepSeed(seed, SEED_SALT), history.length));
  const seen = new Set(history.map((h) => h.genome.join(',')));
  const fresh = (draw: () => Proposal): Proposal => {
    let proposal = draw();
    for (let i = 1; i < FRESH_TRIES && seen.has(proposal.genome.join(',')); i++) proposal = draw();
    return proposal;
  };
  if (checked.kind === 'random' || history.length < checked.population) return fresh(() => ({ genome: randomGenome(slots, random) }));
  const first = history.length - checked.population;
  return fresh(() => {
    // Tournament among the living (the newest `population`), drawn without replacement.
    const members = Array.from({ length: checked.population }, (_, i) => first + i);
    let parent = -1;
    for (let k = 0; k < checked.sampleSize; k++) {
      const [drawn] = members.splice(random.int(members.length), 1);
      if (parent < 0 || history[drawn!]!.reward > history[parent]!.reward) parent = drawn!;
    }
    return { genome: mutate(history[parent]!.genome, slots, random), parent };
  });
}

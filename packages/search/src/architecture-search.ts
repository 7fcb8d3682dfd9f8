// The training-aware architecture search (EfficientNetV2 2021, section 3.3): propose a candidate
// from the space (random search or regularised evolution), train it briefly on the proxy task,
// measure its step time, score it with the reward, append the result to the store; repeat until
// the budget is spent. Stored results count against the budget and steer evolution, so a
// resumed search continues exactly where the killed one was.
import type { ModelSpec } from '@effnet/scaling';
import type { ChoiceSpace } from './choice-space.js';
import { EffnetSearchError } from './errors.js';
import { searchReward, type RewardConfig } from './reward.js';
import { memorySearchStore, openStore, type SearchStore } from './search-store.js';
import { checkStrategy, propose, type Strategy } from './strategies.js';
import { checkTraining, trainCandidate, type CandidateMetrics, type ProxyTask, type ProxyTraining } from './train-candidate.js';

/** When a search stops: after `seconds` of candidate evaluation or `candidates` results, whichever comes first. */
export interface SearchBudget {
  /** Seconds of evaluation, stored results included (checked before each candidate). */
  seconds?: number;
  /** Results in all, stored ones included. */
  candidates?: number;
}

/** One evaluated candidate, as stored (one line of results.jsonl). */
export interface SearchResult extends CandidateMetrics {
  /** 0-based order of evaluation. */
  index: number;
  /** The choices. */
  genome: number[];
  /** The architecture as block strings, one per stage. */
  blocks: string[];
  /** The result it was mutated from (evolution). */
  parent?: number;
  /** The reward. */
  reward: number;
}

/** Options of {@link architectureSearch}. */
export interface ArchitectureSearchOptions {
  /** The space (`stageSpace(PROXY_28_SPACE, frame)` or `templateSpace([...], frame)`). */
  space: ChoiceSpace;
  /** The proxy task (needed unless `evaluate` is given). */
  task?: ProxyTask;
  /** Steps and batch size per candidate. */
  training: ProxyTraining;
  /** Budget; at least one of seconds and candidates. */
  budget: SearchBudget;
  /** Strategy (default regularised evolution, population 8, sample 3). */
  strategy?: Strategy;
  /** Seed of the proposals (default 0). */
  seed?: number;
  /** Reward and its weights (default EfficientNetV2's, w = −0.07, v = −0.05). */
  reward?: RewardConfig;
  /** Where results go (default in memory); a store with results resumes that search. */
  store?: SearchStore<SearchResult>;
  /** Scores a candidate instead of training it on `task` (e.g. a zero-cost proxy). */
  evaluate?: (spec: ModelSpec, training: ProxyTraining) => Promise<CandidateMetrics>;
  /** Called after each new result. */
  onResult?: (result: SearchResult, results: readonly SearchResult[]) => void;
  /** Asked before each candidate; true ends the search (e.g. after Ctrl-C). */
  shouldStop?: () => boolean;
}

/** What a search returns. */
export interface SearchReport {
  /** Every result, stored ones first, in order. */
  results: SearchResult[];
  /** The result with the highest reward (the first one on ties). */
  best: SearchResult;
  /** The best candidate's spec. */
  bestSpec: ModelSpec;
  /** Seconds of evaluation spent, stored results included. */
  seconds: number;
  /** Why it ended. */
  ended: 'seconds' | 'candidates' | 'stopped';
}

/** The best of `results` by reward (the first on ties). */
export function bestResult<R extends { reward: number }>(results: readonly R[]): R {
  if (results.length === 0) throw new EffnetSearchError('results', 'no candidate was evaluated: raise the budget');
  return results.reduce((best, r) => (r.reward > best.reward ? r : best));
}

function checkBudget(budget: SearchBudget): void {
  if (typeof budget !== 'object' || budget === null || (budget.seconds === undefined && budget.candidates === undefined)) {
    throw new EffnetSearchError('budget', 'needs { seconds } or { candidates } (or both)');
  }
  if (budget.seconds !== undefined && !(budget.seconds > 0 && Number.isFinite(budget.seconds))) throw new EffnetSearchError('budget.seconds', `must be a positive number, got ${budget.seconds}`);
  if (budget.candidates !== undefined && !(Number.isInteger(budget.candidates) && budget.candidates > 0)) throw new EffnetSearchError('budget.candidates', `must be a positive integer, got ${budget.candidates}`);
}

/**
 * Runs (or resumes) an architecture search.
 *
 * @returns Every result, the best one and its spec.
 * @throws EffnetSearchError for bad options, a store holding another search, or no result at all.
 */
export async function architectureSearch(options: ArchitectureSearchOptions): Promise<SearchReport> {
  const { space, training, budget, seed = 0, reward = { kind: 'v2' } } = options;
  const strategy = checkStrategy(options.strategy ?? { kind: 'evolution' });
  checkTraining(training);
  checkBudget(budget);
  if (!Number.isSafeInteger(seed)) throw new EffnetSearchError('seed', `must be an integer, got ${seed}`);
  if (!options.task && !options.evaluate) throw new EffnetSearchError('task', 'needs a proxy task to train candidates on (or an evaluate function)');
  const evaluate = options.evaluate ?? ((spec: ModelSpec) => trainCandidate(spec, options.task!, training));
  const store = options.store ?? memorySearchStore<SearchResult>();
  const settings = { kind: 'architecture', strategy, seed, slots: space.slots, training, reward };
  const results = await openStore(store, settings);
  let seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  let ended: SearchReport['ended'];
  for (;;) {
    if (budget.candidates !== undefined && results.length >= budget.candidates) { ended = 'candidates'; break; }
    if (budget.seconds !== undefined && seconds >= budget.seconds) { ended = 'seconds'; break; }
    if (options.shouldStop?.()) { ended = 'stopped'; break; }
    const index = results.length;
    const proposal = propose(strategy, space.slots, seed, results);
    const blocks = space.blocks(proposal.genome);
    const metrics = await evaluate(space.spec(proposal.genome, `search-${index}`), training);
    const result: SearchResult = {
      index, genome: proposal.genome, blocks, ...(proposal.parent === undefined ? {} : { parent: proposal.parent }),
      ...metrics, reward: searchReward(metrics, reward),
    };
    await store.append(result);
    results.push(result);
    seconds += metrics.seconds;
    options.onResult?.(result, results);
  }
  const best = bestResult(results);
  return { results, best, bestSpec: space.spec(best.genome, 'search-best'), seconds, ended };
}

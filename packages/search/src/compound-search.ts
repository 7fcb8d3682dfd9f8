// EfficientNet's compound-coefficient search (2019, section 3.3, step 1): with φ = 1, every α, β,
// γ ≥ 1 on a grid with α·β²·γ² ≈ 2 (scaling's gridSearchCompound enumerates them) scales the base
// network, which is trained on the proxy task and scored; the best coefficients then give the
// family (step 2: φ = 1…7, B1-B7-like specs).
import { cost, gridSearchCompound, scale, type CompoundCoefficients, type GridSearchOptions, type ModelSpec } from '@effnet/scaling';
import { bestResult, type SearchBudget } from './architecture-search.js';
import { EffnetSearchError } from './errors.js';
import { searchReward, type RewardConfig } from './reward.js';
import { memorySearchStore, openStore, type SearchStore } from './search-store.js';
import { checkTraining, trainCandidate, type CandidateMetrics, type ProxyTask, type ProxyTraining } from './train-candidate.js';

/** One grid point, trained at φ = 1 (one line of results.jsonl). */
export interface CompoundResult extends CandidateMetrics, CompoundCoefficients {
  /** 0-based order of evaluation (the grid's α, β, γ order). */
  index: number;
  /** α·β²·γ². */
  flopsFactor: number;
  /** The score candidates are ranked by (accuracy, or the reward when one is given). */
  reward: number;
}

/** One member of the family the best coefficients give. */
export interface FamilyMember {
  /** Compound coefficient. */
  phi: number;
  /** The scaled spec, named `<base>-b<φ>`. */
  spec: ModelSpec;
  /** Parameters (cost model). */
  params: number;
  /** FLOPs at the member's training resolution. */
  flops: number;
}

/** Options of {@link compoundSearch}. */
export interface CompoundSearchOptions {
  /** The base network (φ = 0), made by scaling (it carries its stage table). */
  base: ModelSpec;
  /** The proxy task (needed unless `evaluate` is given). */
  task?: ProxyTask;
  /** Steps and batch size per candidate. */
  training: ProxyTraining;
  /** The grid (default step 0.05, tolerance 0.1, target 2, as scaling's gridSearchCompound). */
  grid?: GridSearchOptions;
  /** Rank by a reward instead of accuracy (the paper ranks by accuracy). */
  reward?: RewardConfig;
  /** Stop early: seconds of evaluation or grid points (stored ones included). */
  budget?: SearchBudget;
  /** Largest φ of the family (default 7). */
  maxPhi?: number;
  /** Where results go (default in memory); a store with results resumes that search. */
  store?: SearchStore<CompoundResult>;
  /** Scores a candidate instead of training it on `task`. */
  evaluate?: (spec: ModelSpec, training: ProxyTraining) => Promise<CandidateMetrics>;
  /** Called after each new result. */
  onResult?: (result: CompoundResult, results: readonly CompoundResult[], total: number) => void;
  /** Asked before each candidate; true ends the search. */
  shouldStop?: () => boolean;
}

/** What {@link compoundSearch} returns. */
export interface CompoundReport {
  /** Every evaluated grid point, in grid order. */
  results: CompoundResult[];
  /** Grid points in all. */
  gridSize: number;
  /** The best coefficients and their result. */
  best: CompoundResult;
  /** φ = 1…maxPhi scaled from the base by the best coefficients. */
  family: FamilyMember[];
}

/** The grid points of scaling's gridSearchCompound, in its α, β, γ order. */
export async function compoundGrid(grid: GridSearchOptions = {}): Promise<(CompoundCoefficients & { flopsFactor: number })[]> {
  const report = await gridSearchCompound(() => 0, grid);
  return report.results.map(({ alpha, beta, gamma, flopsFactor }) => ({ alpha, beta, gamma, flopsFactor }));
}

/**
 * The family φ = 1…maxPhi of `base` under `coefficients`.
 *
 * @throws EffnetConfigError (scaling) when the base has no stage table or a coefficient is below 1.
 */
export function compoundFamily(base: ModelSpec, coefficients: CompoundCoefficients, maxPhi = 7): FamilyMember[] {
  if (!Number.isInteger(maxPhi) || maxPhi < 1) throw new EffnetSearchError('maxPhi', `must be a positive integer, got ${maxPhi}`);
  return Array.from({ length: maxPhi }, (_, i) => {
    const spec = scale(base, { phi: i + 1, coefficients }, { name: `${base.name}-b${i + 1}` });
    const { params, macs } = cost(spec, { resolution: spec.resolution.train });
    return { phi: i + 1, spec, params, flops: 2 * macs };
  });
}

/**
 * Runs (or resumes) the compound-coefficient search.
 *
 * @throws EffnetSearchError for bad options, a store holding another search, or no result.
 */
export async function compoundSearch(options: CompoundSearchOptions): Promise<CompoundReport> {
  const { base, training, budget = {}, maxPhi = 7 } = options;
  checkTraining(training);
  if (!options.task && !options.evaluate) throw new EffnetSearchError('task', 'needs a proxy task to train candidates on (or an evaluate function)');
  const evaluate = options.evaluate ?? ((spec: ModelSpec) => trainCandidate(spec, options.task!, training));
  const grid = await compoundGrid(options.grid);
  const store = options.store ?? memorySearchStore<CompoundResult>();
  const settings = { kind: 'compound', base: base.name, blocks: base.blocks.length, grid: options.grid ?? {}, training, reward: options.reward ?? 'accuracy' };
  const results = await openStore(store, settings);
  let seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  for (let index = results.length; index < grid.length; index++) {
    if (budget.candidates !== undefined && results.length >= budget.candidates) break;
    if (budget.seconds !== undefined && seconds >= budget.seconds) break;
    if (options.shouldStop?.()) break;
    const point = grid[index]!;
    const coefficients = { alpha: point.alpha, beta: point.beta, gamma: point.gamma };
    const metrics = await evaluate(scale(base, { phi: 1, coefficients }, { name: `${base.name}-a${point.alpha}-b${point.beta}-g${point.gamma}` }), training);
    const reward = options.reward ? searchReward(metrics, options.reward) : metrics.accuracy;
    const result: CompoundResult = { index, ...coefficients, flopsFactor: point.flopsFactor, ...metrics, reward };
    await store.append(result);
    results.push(result);
    seconds += metrics.seconds;
    options.onResult?.(result, results, grid.length);
  }
  const best = bestResult(results);
  return { results, gridSize: grid.length, best, family: compoundFamily(base, best, maxPhi) };
}

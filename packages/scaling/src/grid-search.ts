// The compound-coefficient grid search of EfficientNet 2019 (section 3.3, step 1): fix φ = 1 and
// search α, β, γ ≥ 1 under α·β²·γ² ≈ 2 for the candidate that a user-given function scores best.
import { requireAtLeast, requireKnownKeys, requirePositive } from './config-checks.js';
import type { CompoundCoefficients } from './compound.js';
import { EffnetConfigError } from './errors.js';

/** Options of {@link gridSearchCompound}. */
export interface GridSearchOptions {
  /** Grid step of α, β and γ from 1 upwards (default 0.05). */
  step?: number;
  /** Accepted distance |α·β²·γ² − target| (default 0.1). */
  tolerance?: number;
  /** The FLOPs growth per unit φ (default 2). */
  target?: number;
  /** Refuse grids with more candidates than this (default 10,000). */
  maxCandidates?: number;
}

/** One evaluated candidate. */
export interface GridSearchResult extends CompoundCoefficients {
  /** The score the evaluate function gave (higher is better). */
  score: number;
  /** α·β²·γ². */
  flopsFactor: number;
}

/** What {@link gridSearchCompound} returns. */
export interface GridSearchReport {
  /** The best-scoring candidate (the first one on ties, in α, β, γ order). */
  best: GridSearchResult;
  /** Every candidate, best first. */
  results: GridSearchResult[];
}

/** The grid values 1, 1+step, … up to `max` (rounded to 12 digits so 1 + 3·0.05 is 1.15). */
function axis(step: number, max: number): number[] {
  const values: number[] = [];
  for (let i = 0; ; i++) {
    const value = Number((1 + i * step).toFixed(12));
    if (value > max) return values;
    values.push(value);
  }
}

/**
 * Searches α, β, γ on a grid from 1 in steps of `step`, keeping the candidates with
 * `|α·β²·γ² − target| ≤ tolerance`, and scores each with `evaluate` (e.g. train B0 scaled by
 * them and return the accuracy). Candidates are evaluated one at a time, in order.
 *
 * @param evaluate - Scores one candidate; may be async; must return a finite number.
 * @param options - `step`, `tolerance`, `target`, `maxCandidates`.
 * @returns The best candidate and all results, best first.
 * @throws EffnetConfigError when an option is out of range, the grid is empty or too large,
 *   or `evaluate` returns something that is not a finite number.
 */
export async function gridSearchCompound(
  evaluate: (candidate: CompoundCoefficients) => number | Promise<number>,
  options: GridSearchOptions = {},
): Promise<GridSearchReport> {
  if (typeof evaluate !== 'function') throw new EffnetConfigError('evaluate', 'evaluate must be a function of { alpha, beta, gamma } returning a score');
  requireKnownKeys('options', options, ['step', 'tolerance', 'target', 'maxCandidates']);
  const step = requirePositive('step', options.step ?? 0.05);
  const tolerance = requireAtLeast('tolerance', options.tolerance ?? 0.1, 0);
  const target = requireAtLeast('target', options.target ?? 2, 1);
  const maxCandidates = requirePositive('maxCandidates', options.maxCandidates ?? 10_000);
  const limit = target + tolerance;
  const candidates: (CompoundCoefficients & { flopsFactor: number })[] = [];
  for (const alpha of axis(step, limit)) {
    for (const beta of axis(step, Math.sqrt(limit / alpha))) {
      for (const gamma of axis(step, Math.sqrt(limit / (alpha * beta * beta)))) {
        const flopsFactor = alpha * beta * beta * gamma * gamma;
        if (Math.abs(flopsFactor - target) <= tolerance) candidates.push({ alpha, beta, gamma, flopsFactor });
        if (candidates.length > maxCandidates) {
          throw new EffnetConfigError('step', `step ${step} gives more than ${maxCandidates} candidates; use a larger step or raise maxCandidates`);
        }
      }
    }
  }
  if (candidates.length === 0) {
    throw new EffnetConfigError('tolerance', `no grid point with step ${step} has α·β²·γ² within ${tolerance} of ${target}; use a smaller step or a larger tolerance`);
  }
  const results: GridSearchResult[] = [];
  for (const candidate of candidates) {
    const score = await evaluate({ alpha: candidate.alpha, beta: candidate.beta, gamma: candidate.gamma });
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new EffnetConfigError('evaluate', `evaluate returned ${String(score)} for α=${candidate.alpha}, β=${candidate.beta}, γ=${candidate.gamma}; it must return a finite number`);
    }
    results.push({ ...candidate, score });
  }
  const ranked = results.map((result, order) => ({ result, order })).sort((a, b) => b.result.score - a.result.score || a.order - b.order);
  return { best: ranked[0].result, results: ranked.map((entry) => entry.result) };
}

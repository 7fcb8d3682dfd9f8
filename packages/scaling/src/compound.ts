// Compound scaling (EfficientNet 2019, section 3.3, equation 3): one coefficient φ scales depth by
// α^φ, width by β^φ and resolution by γ^φ, with α·β²·γ² ≈ 2 so FLOPs grow by about 2^φ.
import { requireAtLeast } from './config-checks.js';

/** The base multipliers of compound scaling, each ≥ 1 (the paper's grid search found 1.2, 1.1, 1.15). */
export interface CompoundCoefficients {
  /** Depth base α. */
  alpha: number;
  /** Width base β. */
  beta: number;
  /** Resolution base γ. */
  gamma: number;
}

/** The multipliers one compound coefficient φ gives. */
export interface CompoundMultipliers {
  /** Depth multiplier α^φ. */
  depth: number;
  /** Width multiplier β^φ. */
  width: number;
  /** Resolution multiplier γ^φ. */
  resolution: number;
}

/** The paper's coefficients: α = 1.2, β = 1.1, γ = 1.15. */
export const PAPER_COEFFICIENTS: Readonly<CompoundCoefficients> = Object.freeze({ alpha: 1.2, beta: 1.1, gamma: 1.15 });

/**
 * Depth, width and resolution multipliers for compound coefficient φ.
 *
 * @param phi - The compound coefficient, a finite number ≥ 0 (φ = 0 is the base network).
 * @param coefficients - α, β, γ, each a finite number ≥ 1; defaults to the paper's 1.2, 1.1, 1.15.
 * @returns `{ depth: α^φ, width: β^φ, resolution: γ^φ }`.
 * @throws EffnetConfigError naming `phi`, `alpha`, `beta` or `gamma` when one is out of range.
 * @example compound(1) // { depth: 1.2, width: 1.1, resolution: 1.15 }
 */
export function compound(phi: number, coefficients: Partial<CompoundCoefficients> = {}): CompoundMultipliers {
  requireAtLeast('phi', phi, 0);
  const { alpha, beta, gamma } = { ...PAPER_COEFFICIENTS, ...coefficients };
  requireAtLeast('alpha', alpha, 1);
  requireAtLeast('beta', beta, 1);
  requireAtLeast('gamma', gamma, 1);
  return { depth: alpha ** phi, width: beta ** phi, resolution: gamma ** phi };
}

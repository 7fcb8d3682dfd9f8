// Checks on user-given numbers that throw EffnetConfigError naming the field, the bad value and
// what is allowed. Every public function of the package validates through these.
import { EffnetConfigError } from './errors.js';

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is a finite number greater than 0. */
export function requirePositive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new EffnetConfigError(field, `${field} must be a finite number greater than 0, got ${show(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number ≥ `min`. */
export function requireAtLeast(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new EffnetConfigError(field, `${field} must be a finite number ≥ ${min}, got ${show(value)}`);
  }
  return value;
}

/** Throws unless `value` is an integer ≥ `min` (1 unless given). */
export function requireInteger(field: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new EffnetConfigError(field, `${field} must be an integer ≥ ${min}, got ${show(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number with `min ≤ value < max`. */
export function requireRate(field: string, value: unknown, min = 0, max = 1): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value >= max) {
    throw new EffnetConfigError(field, `${field} must be a number in [${min}, ${max}), got ${show(value)}`);
  }
  return value;
}

/** Throws unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new EffnetConfigError(field, `${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** Throws unless `value` is a plain object whose keys are all in `allowed` (catches typos). */
export function requireKnownKeys(field: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EffnetConfigError(field, `${field} must be an object, got ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new EffnetConfigError(`${field}.${key}`, `unknown option '${key}' in ${field}; allowed: ${allowed.join(', ')}`);
    }
  }
  return value as Record<string, unknown>;
}

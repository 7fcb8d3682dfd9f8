// Option parsers shared by commands: each rejects bad values with a message naming the option.
import { InvalidArgumentError } from 'commander';

/** Parses a positive integer option such as `--resolution 224`. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  }
  return n;
}

/** Parses three comma-separated finite numbers, e.g. `--mean 0.5,0.5,0.5`. */
export function rgbTriple(value: string): [number, number, number] {
  const parts = value.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 3 || parts.some((part) => part === '') || numbers.some((n) => !Number.isFinite(n))) {
    throw new InvalidArgumentError(`expected three comma-separated numbers (R,G,B), got '${value}'.`);
  }
  return numbers as [number, number, number];
}

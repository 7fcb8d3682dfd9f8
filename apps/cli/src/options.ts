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

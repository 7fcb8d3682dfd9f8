#!/usr/bin/env node
// Entry point of the `effnet` command.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorLine } from './error-line.js';
import { main } from './program.js';

export { main };

/**
 * Ends the process with one line and exit code 2 on an error no command caught (a callback's
 * throw, a stray rejection). Listeners go first: tfjs-backend-wasm's own `uncaughtException`
 * listener rethrows, which Node reports as a stack trace and exit code 7.
 */
export function exitOnStrayErrors(): void {
  const fail = (error: unknown) => {
    process.stderr.write(`error: ${errorLine(error)}\n`);
    process.exit(2);
  };
  process.prependListener('uncaughtException', fail);
  process.prependListener('unhandledRejection', fail);
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  exitOnStrayErrors();
  process.exitCode = await main(process.argv);
}

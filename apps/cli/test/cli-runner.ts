// Runs the `effnet` CLI from tests: in-process through `main` (output captured), or as a real child
// process (node with tsx as a loader, so signals reach effnet's own handlers), and presses Ctrl-C on
// a child once its metrics log holds a given number of steps.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Io } from '../src/io.js';
import { main } from '../src/program.js';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../../..');

/** What a CLI call printed and returned. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `effnet ...args` in this process and captures its output. */
export async function runCli(...args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: Io = { out: (text) => (out += text), err: (text) => (err += text) };
  const code = await main(['node', 'effnet', ...args], io);
  return { code, out, err };
}

/** A CLI child process, its stdout so far, and its exit code once it ends. */
export interface CliChild {
  child: ChildProcessByStdio<null, Readable, Readable>;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `effnet ...args` as a child process. */
export function startCli(args: string[]): CliChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

/** Sends SIGINT to a training child once `metricsPath` logs more than `steps` steps (or it ended). */
export async function interruptAfterSteps(run: CliChild, metricsPath: string, steps: number): Promise<number | null> {
  while (!(existsSync(metricsPath) && readFileSync(metricsPath, 'utf8').split('"type":"step"').length > steps)) {
    if (run.child.exitCode !== null) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  run.child.kill('SIGINT');
  return run.exited;
}

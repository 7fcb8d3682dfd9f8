// Runs the real `effnet` command (apps/cli through tsx) in a child process, as a user would, and
// returns what `--json` printed: the benchmarks compare whole runs, each started cold.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../../..');

/** What `effnet train --json` prints (the fields the benchmarks use). */
export interface TrainSummary {
  /** Steps trained. */
  steps: number;
  /** Seconds in `fit`. */
  trainSeconds: number;
  /** Seconds of the whole run. */
  totalSeconds: number;
  /** The plan followed. */
  plan: { steps: number; imageSize: number; randAugmentMagnitude: number; mixupAlpha: number; cutmixAlpha: number; dropout: number; dropPath: number }[];
  /** Held-out evaluation with the EMA weights. */
  evaluation: { top1: number; top5: number; count: number };
  /** Must be 0. */
  tensorsLeakedPerStep: number;
}

/** Runs `effnet <args> --json`; progress bars and logs go to this terminal's stderr. */
export function effnetJson<T = TrainSummary>(args: string[]): Promise<T> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', join(ROOT, 'tsconfig.base.json'), join(ROOT, 'apps/cli/src/main.ts'), ...args, '--json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`effnet ${args.slice(0, 1).join(' ')} exited with code ${code}`));
      else resolvePromise(JSON.parse(out) as T);
    });
  });
}

/** A markdown table. */
export function markdownTable(rows: string[][]): string {
  return [`| ${rows[0]!.join(' | ')} |`, `|${rows[0]!.map(() => '---').join('|')}|`, ...rows.slice(1).map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

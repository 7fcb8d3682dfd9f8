// A before/after comparison of the training step that a busy shared machine cannot tilt: two
// step-server.ts processes, one in this checkout and one in another (e.g. `git worktree add
// ../before <commit>`, with node_modules linked), both warmed up, then asked for one step each in
// turn (ABBA order), so that every pair of steps ran within a second of each other. Prints the
// median and minimum of each and the median of the per-pair ratios (this / other). Options besides
// --against and --steps go to step-server.ts.
//   npx tsx --tsconfig tsconfig.base.json tools/bench/src/alternate-steps.ts --against ../before [--steps 30] [--preset efficientnet-b0 --channels 3 --classes 1000 --size 128 --batch 16]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { median } from './bench-report.js';
import { ROOT } from './effnet-child.js';
import { option } from './script-option.js';

const against = resolve(option('against', ''));
const steps = Number(option('steps', '30'));
if (!option('against', '') || !existsSync(resolve(against, 'tools/bench/src/step-server.ts'))) {
  throw new Error(`--against must name another checkout of this repository with tools/bench/src/step-server.ts (copy the file there if its commit predates it); got '${option('against', '')}'`);
}
const passOn = process.argv.slice(2).filter((_, i, all) => !['--against', '--steps'].includes(all[i]!) && !['--against', '--steps'].includes(all[i - 1]!));

/** A step server in `dir`: `step()` resolves to one step's milliseconds. */
function server(dir: string) {
  const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'tsconfig.base.json', 'tools/bench/src/step-server.ts', ...passOn], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the step server in ${dir} ended early`);
    return value as string;
  };
  return {
    ready: next,
    step: async () => {
      child.stdin.write('step\n');
      return Number(await next());
    },
    close: () => child.stdin.end(),
  };
}

const here = server(ROOT);
const other = server(against);
await Promise.all([here.ready(), other.ready()]);
const mine: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < steps; i++) {
  // ABBA: neither side always goes first.
  if (i % 2 === 0) {
    mine.push(await here.step());
    theirs.push(await other.step());
  } else {
    theirs.push(await other.step());
    mine.push(await here.step());
  }
}
here.close();
other.close();
const ratio = median(mine.map((ms, i) => ms / theirs[i]!));
process.stdout.write(`${steps} alternating steps (${passOn.join(' ') || 'efficientnetv2-28-lite, batch 64, 28 px'}) on wasm\n`);
process.stdout.write(`this checkout (${ROOT}): median ${median(mine).toFixed(1)} ms, min ${Math.min(...mine).toFixed(1)} ms\n`);
process.stdout.write(`--against (${against}): median ${median(theirs).toFixed(1)} ms, min ${Math.min(...theirs).toFixed(1)} ms\n`);
process.stdout.write(`median per-pair ratio this / against: ${ratio.toFixed(3)}\n`);

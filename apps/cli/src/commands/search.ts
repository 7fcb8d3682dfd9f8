// `effnet search`: EfficientNetV2's training-aware architecture search (random or regularised
// evolution) or EfficientNet's compound-coefficient grid, on a Fashion-MNIST/MNIST proxy task, for
// a wall-clock budget, into a folder (results.jsonl, report.html, best.json, best.txt). A killed
// search continues with --resume; `effnet train --spec <out>/best.json` trains the winner.
import { Command, CommanderError } from 'commander';
import { EffnetSearchError } from '@effnet/search';
import type { Io } from '../io.js';
import { printJson, renderTable, formatCount } from '../output.js';
import { silentProgress, terminalProgress, type Progress } from '../run/progress.js';
import { searchRun, type SearchRunOptions, type SearchRunSummary } from '../run/search-run.js';
import '../register-backends.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Parses a duration such as `20m`, `90s`, `1.5h` or `300` (seconds). */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * UNITS[match[2] || 's']! : Number.NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new EffnetSearchError('--budget', `expected a duration such as 20m, 90s or 1h, got '${value}'`);
  return seconds;
}

function number(flag: string, value: unknown, check: (n: number) => boolean, what: string): number {
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !check(n)) throw new EffnetSearchError(flag, `expected ${what}, got '${String(value)}'`);
  return n;
}

const integer = (flag: string, value: unknown, min: number) => number(flag, value, (n) => Number.isSafeInteger(n) && n >= min, `an integer ≥ ${min}`);

/** The summary printed at the end. */
export function formatSearchSummary(s: SearchRunSummary): string {
  const lines = [`search folder: ${s.out}  (report: ${s.out}/report.html; train the best with: effnet train --spec ${s.out}/best.json --out <run>)`];
  lines.push(`${s.candidates} candidates in ${s.seconds.toFixed(0)} s on ${s.backend}${s.stopped ? ' (stopped by Ctrl-C; continue with --resume)' : ''}`);
  lines.push(`best: validation accuracy ${(s.best.accuracy * 100).toFixed(1)} %, ${s.best.stepMs.toFixed(1)} ms/step, ${s.best.params.toLocaleString('en')} parameters, reward ${s.best.reward.toFixed(4)}`);
  lines.push(`best block strings: ${s.bestBlocks.join(' ')}`);
  if (s.compound) {
    lines.push(`best coefficients: α = ${s.compound.alpha}, β = ${s.compound.beta}, γ = ${s.compound.gamma}; the family (family.json):`);
    lines.push(renderTable(['name', 'params', 'FLOPs', 'resolution'], s.compound.family.map((m) => [m.name, formatCount(m.params), formatCount(m.flops), m.resolution])));
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the `search` command. */
export function searchCommand(io: Io, progress?: Progress): Command {
  return new Command('search')
    .description('architecture search on a Fashion-MNIST/MNIST proxy task: each candidate trained briefly and timed; writes results.jsonl, report.html, best.json and best.txt to --out')
    .option('--budget <duration>', 'wall-clock budget of candidate training, e.g. 20m, 90s, 1h', '20m')
    .option('--candidates <n>', 'stop after this many candidates (with --budget: whichever comes first)')
    .requiredOption('--out <folder>', 'search folder')
    .option('--backend <name>', 'backend the step time is measured on (see effnet backends), or auto', 'auto')
    .option('--strategy <name>', 'random or evolution (regularised evolution)', 'evolution')
    .option('--seed <n>', 'seed of the proposals', '0')
    .option('--compound', 'search the compound coefficients α, β, γ (α·β²·γ² ≈ 2, φ = 1) of --base instead')
    .option('--base <preset>', 'base network of --compound', 'efficientnetv2-28-lite')
    .option('--grid-step <x>', 'grid step of α, β, γ for --compound', '0.1')
    .option('--data <name>', 'fashion-mnist or mnist', 'fashion-mnist')
    .option('--steps <n>', 'training steps per candidate', '60')
    .option('--batch <n>', 'images per step', '32')
    .option('--train-per-class <n>', 'proxy training images per class', '100')
    .option('--val-per-class <n>', 'validation images per class (held out from the training split)', '50')
    .option('--population <n>', 'evolution: population (the first N candidates are random)', '6')
    .option('--sample-size <n>', 'evolution: candidates drawn per tournament', '3')
    .option('--w <x>', 'reward exponent of the step time', '-0.07')
    .option('--v <x>', 'reward exponent of the parameter count', '-0.05')
    .option('--resume', 'continue the search in --out')
    .option('--json', 'print the summary as JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const strategy = o['strategy'] as string;
      if (strategy !== 'random' && strategy !== 'evolution') throw new EffnetSearchError('--strategy', `unknown strategy '${strategy}': use random or evolution`);
      if (o['data'] !== 'fashion-mnist' && o['data'] !== 'mnist') throw new EffnetSearchError('--data', `the search's proxy task is fashion-mnist or mnist, got '${String(o['data'])}'`);
      const options: SearchRunOptions = {
        budgetSeconds: parseDuration(o['budget'] as string), ...(o['candidates'] === undefined ? {} : { maxCandidates: integer('--candidates', o['candidates'], 1) }), backend: o['backend'] as string, out: o['out'] as string, strategy,
        seed: integer('--seed', o['seed'], 0), compound: Boolean(o['compound']), base: o['base'] as string, data: o['data'] as string,
        steps: integer('--steps', o['steps'], 2), batchSize: integer('--batch', o['batch'], 1),
        trainPerClass: integer('--train-per-class', o['trainPerClass'], 1), valPerClass: integer('--val-per-class', o['valPerClass'], 1),
        population: integer('--population', o['population'], 2), sampleSize: integer('--sample-size', o['sampleSize'], 1),
        w: number('--w', o['w'], Number.isFinite, 'a finite number'), v: number('--v', o['v'], Number.isFinite, 'a finite number'),
        gridStep: number('--grid-step', o['gridStep'], (n) => n > 0 && n < 1, 'a number in (0, 1)'), resume: Boolean(o['resume']),
      };
      if (options.sampleSize > options.population) throw new EffnetSearchError('--sample-size', `${options.sampleSize} is larger than --population ${options.population}`);
      const json = Boolean(o['json']);
      const summary = await searchRun(options, (line) => (json ? io.err : io.out)(`${line}\n`), progress ?? (json ? silentProgress : terminalProgress()));
      if (json) printJson(summary, io.out);
      else io.out(formatSearchSummary(summary));
      if (summary.stopped) throw new CommanderError(130, 'effnet.stopped', 'search stopped by Ctrl-C');
    });
}

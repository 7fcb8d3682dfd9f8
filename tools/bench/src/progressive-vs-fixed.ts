// Progressive learning against fixed-size training, side by side in one run (EfficientNetV2,
// section 4: progressive learning trains faster at equal accuracy). Both runs train the same
// preset on the same data for the same number of epochs with the recipe of `npm run demo` (same
// seed, SGD with Nesterov momentum at batch 128, warm-up then cosine, label smoothing, EMA); the
// progressive run grows the image size over --stages stages (--from-size → --to-size) with the
// regularisation ramp of Algorithm 1 (dropout 0 → 0.1, and --mixup, --randaugment, --cutmix
// ramps when given), the fixed run trains every step at the final size with the final
// regularisation. `--data fashion-mnist-64 --to-size 64` is the case where resolution matters:
// Fashion-MNIST enlarged and placed at random on a 64 px canvas (@effnet/data). A third run
// (unless --no-same-time) trains at the final size for the progressive run's time instead of its
// epochs: whether the small stages buy anything that fewer full-size epochs do not.
// Each run is the real `effnet train` command in a child process (so each starts cold), one after
// the other (or --jobs at a time), and the result is its summary: training time and held-out top-1 with EMA weights.
// The runs' wall times are as fair as the machine was steady; the time ratio that decides is
// computed from a training step's cost at each size, timed by `effnet bench --train` in rounds
// that interleave the sizes (so a change of load hits every size alike), and the same-time run
// gets the epochs that ratio affords.
//
//   npm run bench:progressive -w @effnet/bench -- [--epochs 4] [--stages 3] [--from-size 12] [--to-size 28] [--data fashion-mnist]
//     [--mixup A:B] [--randaugment A:B] [--cutmix A:B] [--no-same-time] [--backend wasm] [--seeds 0,1,2] [--jobs 2]
//     [--out tmp/bench/progressive-vs-fixed]
// With several seeds every run is repeated per seed and the verdict is on the mean gap: at a few
// epochs one seed's top-1 moves by about a point, more than the gap being measured. --jobs runs
// training runs side by side (each is one thread); their accuracy does not depend on it, and the
// time ratio comes from the step costs, which are timed alone.
import { mkdirSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { interleavedRounds, median, parseSeeds, wholeNumber } from './bench-report.js';
import { ROOT, effnetJson } from './effnet-child.js';


/** What `effnet train --json` prints (the fields used here). */
interface Summary {
  steps: number;
  trainSeconds: number;
  totalSeconds: number;
  plan: { steps: number; imageSize: number }[];
  evaluation: { top1: number; top5: number; count: number };
  tensorsLeakedPerStep: number;
}

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '4' },
    stages: { type: 'string', default: '3' },
    'from-size': { type: 'string', default: '12' },
    'no-same-time': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    backend: { type: 'string', default: 'wasm' },
    data: { type: 'string', default: 'fashion-mnist' },
    preset: { type: 'string', default: 'efficientnetv2-28-lite' },
    seed: { type: 'string', default: '0' },
    seeds: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    out: { type: 'string', default: join(ROOT, 'tmp/bench/progressive-vs-fixed') },
    'limit-per-class': { type: 'string' },
    'to-size': { type: 'string', default: '28' },
    batch: { type: 'string', default: '128' },
    mixup: { type: 'string' },
    randaugment: { type: 'string' },
    cutmix: { type: 'string' },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run bench:progressive -w @effnet/bench -- [options]

Trains ${values.preset} with progressive learning and at the fixed final size for the same epochs
(then at the fixed size for the progressive run's time), one run after the other (--jobs at a
time), for each seed of --seeds, and prints
training time and held-out top-1 (EMA) side by side; the time ratio is taken from a training
step's cost at each size, timed in interleaved rounds. Results: <out>/results.json.

  --epochs <n>           epochs of each run (default 4)
  --stages <n>           progressive stages (default 3)
  --from-size <px>       first-stage image size of the progressive run (default 12)
  --to-size <px>         final image size of both runs (default 28; 64 with --data fashion-mnist-64)
  --batch <n>            images per step (default 128)
  --mixup <a:b>          Mixup α ramp of the progressive run (the fixed run uses b)
  --randaugment <a:b>    RandAugment magnitude ramp (the fixed run uses b)
  --cutmix <a:b>         CutMix α ramp (the fixed run uses b)
  --no-same-time         skip the fixed-size run given the progressive run's time
  --backend <name>       backend (default wasm)
  --data <name>          fashion-mnist, mnist or fashion-mnist-64 (default fashion-mnist)
  --preset <name>        preset (default efficientnetv2-28-lite)
  --seed <n>             seed (default 0)
  --seeds <list>         repeat every run for each of these seeds (e.g. 0,1,2); the verdict is on the mean
  --jobs <n>             training runs at once (default 1; each is single-threaded)
  --limit-per-class <n>  fewer images (quick checks)
  --out <folder>         run folders and results.json (default tmp/bench/progressive-vs-fixed)
`);
  process.exit(0);
}

function fail(message: string): never {
  process.stderr.write(`bench:progressive: ${message}\n`);
  process.exit(2);
}
let seeds: number[];
let jobs: number;
try {
  seeds = parseSeeds(values.seeds === undefined ? '--seed' : '--seeds', values.seeds ?? values.seed!);
  jobs = wholeNumber('--jobs', values.jobs, 1);
} catch (error) {
  fail((error as Error).message);
}
/** Runs a training run once fewer than --jobs are running. */
const job = pLimit(jobs);
/** A run's folder: `<out>/<name>` for one seed, `<out>/seed-<s>/<name>` for several. */
const runFolder = (seed: number, name: string) => (seeds.length === 1 ? join(values.out!, name) : join(values.out!, `seed-${seed}`, name));

/** Runs `effnet train` with `args` in a child process; progress bars go to this terminal. */
function train(name: string, seed: number, epochs: string, args: string[]): Promise<Summary> {
  const common = [
    'train', '--preset', values.preset!, '--data', values.data!, '--backend', values.backend!, '--epochs', epochs, '--seed', String(seed),
    '--batch', values.batch!, '--optimizer', 'sgd', '--lr', '0.4', '--warmup', '100', '--weight-decay', '0.00005', '--label-smoothing', '0.1', '--ema', '0.99', '--stage-eval', '0', '--samples', '8',
    '--out', runFolder(seed, name),
    // One replica (no worker threads): the runs compare the plans, not the data-parallel pool.
    '--workers', '1',
    ...(values['limit-per-class'] ? ['--limit-per-class', values['limit-per-class']] : []),
  ];
  return effnetJson<Summary>([...common, ...args]);
}

process.stderr.write(`progressive vs fixed: ${values.preset} on ${values.data}, ${values.epochs} epochs each, backend ${values.backend}, seed${seeds.length > 1 ? 's' : ''} ${seeds.join(', ')}\n`);
const ramps = (['mixup', 'randaugment', 'cutmix'] as const).filter((flag) => values[flag]);
const PROGRESSIVE_PLAN = [
  '--stages', values.stages!, '--from-size', values['from-size']!, '--to-size', values['to-size']!, '--dropout', '0:0.1', ...ramps.flatMap((flag) => [`--${flag}`, values[flag]!]),
];
// Algorithm 1 with one stage: every step at the final size with the final regularisation.
const FIXED_PLAN = ['--stages', '1', '--to-size', values['to-size']!, '--dropout', '0.1:0.1', ...ramps.flatMap((flag) => [`--${flag}`, values[flag]!.split(':').at(-1)!])];
const [progressiveRuns, fixedRuns] = await Promise.all([
  Promise.all(seeds.map((seed) => job(() => train('progressive', seed, values.epochs!, PROGRESSIVE_PLAN)))),
  Promise.all(seeds.map((seed) => job(() => train('fixed', seed, values.epochs!, FIXED_PLAN)))),
]);
const [progressive, fixed] = [progressiveRuns[0]!, fixedRuns[0]!];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const wallRatio = mean(progressiveRuns.map((run) => run.trainSeconds)) / mean(fixedRuns.map((run) => run.trainSeconds));

/** Median ms of a training step at each size, the sizes interleaved over rounds (rotated each round). */
async function stepCosts(sizes: number[], rounds = 3): Promise<Map<number, number>> {
  const times = new Map(sizes.map((size) => [size, [] as number[]]));
  for (const order of interleavedRounds(sizes, rounds)) {
    for (const size of order) {
      const result = await effnetJson<{ training: { ms: number } }>([
        'bench', '--preset', values.preset!, '--channels', '1', '--classes', '10', '--resolution', String(size), '--batch', values.batch!, '--runs', '3', '--warmup', '1', '--train', '--backend', values.backend!,
      ]);
      times.get(size)!.push(result.training.ms);
    }
  }
  return new Map([...times].map(([size, ms]) => [size, median(ms)]));
}
process.stderr.write('timing a training step at each size (interleaved rounds)…\n');
const costs = await stepCosts([...new Set(progressive.plan.map((stage) => stage.imageSize))]);
const planCost = (s: Summary) => s.plan.reduce((sum, stage) => sum + stage.steps * costs.get(stage.imageSize)!, 0);
const timeRatio = planCost(progressive) / planCost(fixed);
// Epochs the fixed-size run can afford in the progressive run's time, at the interleaved step costs.
const sameTimeEpochs = (Number(values.epochs) * timeRatio).toFixed(2);
const sameTimeRuns = values['no-same-time'] ? [] : await Promise.all(seeds.map((seed) => job(() => train('fixed-same-time', seed, sameTimeEpochs, FIXED_PLAN))));

const top1 = (run: Summary) => run.evaluation.top1 * 100;
const runs = seeds.flatMap((seed, i) => [
  ['progressive', seed, values.epochs!, progressiveRuns[i]!] as const,
  ['fixed', seed, values.epochs!, fixedRuns[i]!] as const,
  ...(sameTimeRuns[i] ? [['fixed, same time', seed, sameTimeEpochs, sameTimeRuns[i]!] as const] : []),
]);
const rows = [
  ['run', 'seed', 'epochs', 'plan', 'time at step costs (s)', 'wall-clock training time (s)', 'held-out top-1 (EMA)'],
  ...runs.map(([name, seed, epochs, s]) => [
    name, String(seed), epochs, s.plan.map((stage) => `${stage.steps}×${stage.imageSize}px`).join(' → '), (planCost(s) / 1000).toFixed(1), s.trainSeconds.toFixed(1), `${top1(s).toFixed(2)} %`,
  ]),
];
const signed = (points: number) => `${points >= 0 ? '+' : ''}${points.toFixed(2)} points`;
const gaps = seeds.map((_, i) => top1(progressiveRuns[i]!) - top1(fixedRuns[i]!));
const accuracyGap = mean(gaps);
const perSeed = (points: number[]) => (seeds.length > 1 ? ` (mean of ${seeds.length} seeds; per seed ${points.map(signed).join(', ')})` : '');
const table = [
  `| ${rows[0]!.join(' | ')} |`,
  `|${rows[0]!.map(() => '---').join('|')}|`,
  ...rows.slice(1).map((row) => `| ${row.join(' | ')} |`),
].join('\n');
const sameTimeGaps = sameTimeRuns.map((run, i) => top1(progressiveRuns[i]!) - top1(run));
const verdict = [
  `training step at ${[...costs].map(([size, ms]) => `${size} px: ${ms.toFixed(0)} ms`).join(', ')} (interleaved); ` +
    `progressive / fixed time at these costs: ${timeRatio.toFixed(2)}× (wall clock: ${wallRatio.toFixed(2)}×); top-1: progressive ${signed(accuracyGap)} against fixed${perSeed(gaps)} ` +
    `(goal: ≤ 0.65× the time within 0.3 points: ${timeRatio <= 0.65 && accuracyGap >= -0.3 ? 'met' : 'not met'})`,
  ...(sameTimeRuns.length > 0 ? [`in the same time (${sameTimeEpochs} epochs at the final size): progressive ${signed(mean(sameTimeGaps))} against fixed${perSeed(sameTimeGaps)}`] : []),
].join('\n');
process.stdout.write(`\n${table}\n\n${verdict}\n`);
mkdirSync(values.out!, { recursive: true });
const resultsPath = join(values.out!, 'results.json');
const bySeed = seeds.map((seed, i) => ({ seed, progressive: progressiveRuns[i], fixed: fixedRuns[i], sameTime: sameTimeRuns[i], accuracyGap: gaps[i] }));
writeFileAtomic.sync(
  resultsPath,
  `${JSON.stringify({ options: values, seeds: bySeed, progressive, fixed, sameTime: sameTimeRuns[0], sameTimeEpochs, stepMs: Object.fromEntries(costs), timeRatio, wallRatio, accuracyGap, finishedAt: new Date().toISOString() }, null, 2)}\n`,
);
process.stdout.write(`results: ${resultsPath}\n`);

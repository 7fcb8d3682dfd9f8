// Progressive learning against fixed-size training, side by side in one run (EfficientNetV2,
// section 4: progressive learning trains faster at equal accuracy). Both runs train the same
// preset on the same data for the same number of epochs with the recipe of `npm run demo` (same
// seed, SGD with Nesterov momentum at batch 128, warm-up then cosine, label smoothing, EMA); the
// progressive run grows the image size over 3 stages (16 → 22 → 28 px with dropout 0 → 0.1), the
// fixed run trains every step at the final size (28 px, dropout 0.1).
// Each run is the real `effnet train` command in a child process (so both start cold), and the
// result is its summary: training time and held-out top-1 with EMA weights.
//
//   npm run bench:progressive -w @effnet/bench -- [--epochs 1.5] [--backend wasm] [--out tmp/bench/progressive-vs-fixed]
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../../..');

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
    epochs: { type: 'string', default: '1.5' },
    backend: { type: 'string', default: 'wasm' },
    data: { type: 'string', default: 'fashion-mnist' },
    preset: { type: 'string', default: 'efficientnetv2-28-lite' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: join(ROOT, 'tmp/bench/progressive-vs-fixed') },
    'limit-per-class': { type: 'string' },
  },
});

/** Runs `effnet train` with `args` in a child process; progress bars go to this terminal. */
function train(name: string, args: string[]): Promise<Summary> {
  const common = [
    'train', '--preset', values.preset!, '--data', values.data!, '--backend', values.backend!, '--epochs', values.epochs!, '--seed', values.seed!,
    '--batch', '128', '--optimizer', 'sgd', '--lr', '0.4', '--warmup', '100', '--weight-decay', '0.00005', '--label-smoothing', '0.1', '--ema', '0.99', '--stage-eval', '0', '--samples', '8',
    '--out', join(values.out!, name), '--json',
    ...(values['limit-per-class'] ? ['--limit-per-class', values['limit-per-class']] : []),
  ];
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', join(ROOT, 'tsconfig.base.json'), join(ROOT, 'apps/cli/src/main.ts'), ...common, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`effnet train (${name}) exited with code ${code}`));
      else resolvePromise(JSON.parse(out) as Summary);
    });
  });
}

process.stderr.write(`progressive vs fixed: ${values.preset} on ${values.data}, ${values.epochs} epochs each, backend ${values.backend}\n`);
const progressive = await train('progressive', ['--stages', '3', '--from-size', '16', '--to-size', '28', '--dropout', '0:0.1']);
const fixed = await train('fixed', ['--stages', '1', '--to-size', '28', '--dropout', '0.1:0.1']);

const rows = [
  ['run', 'plan', 'steps', 'training time (s)', 'held-out top-1 (EMA)'],
  ...([['progressive', progressive], ['fixed', fixed]] as const).map(([name, s]) => [
    name, s.plan.map((stage) => `${stage.steps}×${stage.imageSize}px`).join(' → '), String(s.steps), s.trainSeconds.toFixed(1), `${(s.evaluation.top1 * 100).toFixed(2)} %`,
  ]),
];
const timeRatio = progressive.trainSeconds / fixed.trainSeconds;
const accuracyGap = (progressive.evaluation.top1 - fixed.evaluation.top1) * 100;
const table = [
  `| ${rows[0]!.join(' | ')} |`,
  `|${rows[0]!.map(() => '---').join('|')}|`,
  ...rows.slice(1).map((row) => `| ${row.join(' | ')} |`),
].join('\n');
const verdict = `progressive / fixed training time: ${timeRatio.toFixed(2)}×; top-1 difference: ${accuracyGap >= 0 ? '+' : ''}${accuracyGap.toFixed(2)} points ` +
  `(goal: ≤ 0.6× the time within 0.3 points: ${timeRatio <= 0.6 && accuracyGap >= -0.3 ? 'met' : 'not met'})`;
process.stdout.write(`\n${table}\n\n${verdict}\n`);
mkdirSync(values.out!, { recursive: true });
const resultsPath = join(values.out!, 'results.json');
writeFileSync(`${resultsPath}.tmp`, `${JSON.stringify({ options: values, progressive, fixed, timeRatio, accuracyGap, finishedAt: new Date().toISOString() }, null, 2)}\n`);
renameSync(`${resultsPath}.tmp`, resultsPath);
process.stdout.write(`results: ${resultsPath}\n`);

// Fine-tuning against training from scratch, side by side in one run: a network is trained on
// Fashion-MNIST classes 0-4 (T-shirt, Trouser, Pullover, Dress, Coat), then trained for the same
// number of steps on classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle boot) either from scratch or
// fine-tuned from the first network (`effnet train --init … --num-classes 5`, once per --freeze
// mode). Every run is the real `effnet train` in a child process; the result is held-out top-1 on
// the test images of classes 5-9, with EMA weights.
//
//   npm run bench:fine-tune -w @effnet/bench -- [--base-steps 400] [--steps 200] [--backend wasm] [--out tmp/bench/fine-tune]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import writeFileAtomic from 'write-file-atomic';
import { effnetJson, markdownTable, ROOT, type TrainSummary } from './effnet-child.js';

const { values } = parseArgs({
  options: {
    'base-steps': { type: 'string', default: '400' },
    steps: { type: 'string', default: '200' },
    batch: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
    preset: { type: 'string', default: 'efficientnetv2-28-lite' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: join(ROOT, 'tmp/bench/fine-tune') },
    freeze: { type: 'string', default: 'none,bn,backbone' },
    'reuse-base': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run bench:fine-tune -w @effnet/bench -- [options]

Trains ${values.preset} on Fashion-MNIST classes 0-4, then on classes 5-9 from scratch and
fine-tuned from it (--freeze none, bn, backbone), each for the same steps; prints held-out top-1.

  --base-steps <n>  steps on classes 0-4 (default 400)
  --steps <n>       steps of each run on classes 5-9 (default 200)
  --batch <n>       batch size (default 64)
  --backend <name>  backend (default wasm)
  --preset <name>   preset (default efficientnetv2-28-lite)
  --seed <n>        seed (default 0)
  --freeze <modes>  fine-tuning runs, one per mode (default none,bn,backbone)
  --reuse-base      keep a finished base run in <out>/base-0-4 instead of training it again
  --out <folder>    run folders and results.json (default tmp/bench/fine-tune)
`);
  process.exit(0);
}

const IMAGES_PER_SPLIT = 30_000; // five Fashion-MNIST classes of 6,000 training images
const epochsFor = (steps: string) => (Number(steps) / Math.floor(IMAGES_PER_SPLIT / Number(values.batch))).toFixed(6);
const common = [
  'train', '--preset', values.preset!, '--data', 'fashion-mnist', '--backend', values.backend!, '--seed', values.seed!, '--batch', values.batch!,
  '--stages', '1', '--to-size', '28', '--optimizer', 'sgd', '--lr', '0.2', '--warmup', '30', '--weight-decay', '0.00005', '--label-smoothing', '0.1',
  '--ema', '0.99', '--dropout', '0.1', '--stage-eval', '0', '--samples', '0', '--overwrite',
  // One replica (no worker threads): the runs compare fine-tuning with training from scratch, not the pool.
  '--workers', '1',
];
const train = (name: string, steps: string, args: string[]) => effnetJson<TrainSummary>([...common, '--epochs', epochsFor(steps), '--out', join(values.out!, name), ...args]);

process.stderr.write(`fine-tuning vs scratch: ${values.preset}, ${values['base-steps']} steps on classes 0-4, then ${values.steps} steps on classes 5-9 per run\n`);
const basePath = join(values.out!, 'base-0-4', 'summary.json');
const base = values['reuse-base'] && existsSync(basePath) ? (JSON.parse(readFileSync(basePath, 'utf8')) as TrainSummary) : await train('base-0-4', values['base-steps']!, ['--classes', '0-4']);
const runs: [string, TrainSummary][] = [['from scratch', await train('scratch-5-9', values.steps!, ['--classes', '5-9'])]];
for (const freeze of values.freeze!.split(',')) {
  runs.push([`fine-tuned, --freeze ${freeze}`, await train(`fine-tune-${freeze}`, values.steps!, ['--classes', '5-9', '--init', join(values.out!, 'base-0-4'), '--num-classes', '5', '--freeze', freeze])]);
}
const scratch = runs[0]![1];
const table = markdownTable([
  ['run on classes 5-9', 'steps', 'training time (s)', 'held-out top-1 (EMA, 5,000 images)', 'vs scratch'],
  ...runs.map(([name, s]) => [name, String(s.steps), s.trainSeconds.toFixed(1), `${(s.evaluation.top1 * 100).toFixed(2)} %`, name === 'from scratch' ? '' : `${((s.evaluation.top1 - scratch.evaluation.top1) * 100 >= 0 ? '+' : '')}${((s.evaluation.top1 - scratch.evaluation.top1) * 100).toFixed(2)} points`]),
]);
process.stdout.write(`\nbase on classes 0-4: ${base.steps} steps, held-out top-1 ${(base.evaluation.top1 * 100).toFixed(2)} % (EMA)\n\n${table}\n`);
mkdirSync(values.out!, { recursive: true });
const resultsPath = join(values.out!, 'results.json');
writeFileAtomic.sync(resultsPath, `${JSON.stringify({ options: values, base, runs, finishedAt: new Date().toISOString() }, null, 2)}\n`);
process.stdout.write(`results: ${resultsPath}\n`);

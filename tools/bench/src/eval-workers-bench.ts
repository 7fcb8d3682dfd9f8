// `effnet eval --workers N` against one worker, side by side in one run: whole `effnet eval` child
// processes (start-up, model loading and data set included, as a user waits for them), interleaved
// round by round so that load from other jobs hits both alike. Without --model it first trains one
// epoch of the demo preset on 200 images (the timing does not depend on the weights). Prints each
// round, the median wall time of each and their ratio, the load average before and after, and
// whether every run reported the same figures.
//
//   npm run bench:eval-workers -w @effnet/bench -- [--rounds 3] [--workers 2] [--model <folder>] [--data fashion-mnist] [--batch 128]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleavedRounds, median } from './bench-report.js';
import { effnetJson } from './effnet-child.js';
import { option } from './script-option.js';

/** What `effnet eval --json` prints (the fields used here). */
interface EvalResult {
  workers: number;
  count: number;
  loss: number;
  top1: number;
}

const rounds = Number(option('rounds', '3'));
const workers = option('workers', '2');
const scratch = mkdtempSync(join(tmpdir(), 'effnet-eval-bench-'));
try {
  let model = option('model', '');
  if (!model) {
    model = join(scratch, 'run');
    await effnetJson(['train', '--out', model, '--preset', 'efficientnetv2-28-lite', '--backend', 'wasm', '--limit-per-class', '20', '--batch', '32', '--stages', '1',
      '--from-size', '28', '--to-size', '28', '--epochs', '1', '--stage-eval', '0', '--samples', '0', '--workers', '1']);
  }
  const args = ['eval', model, '--data', option('data', 'fashion-mnist'), '--batch', option('batch', '128'), '--backend', 'wasm'];
  const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
  const loadBefore = load();
  const times: Record<string, number[]> = { '1': [], [workers]: [] };
  const figures = new Set<string>();
  for (const [round, order] of interleavedRounds(['1', workers], rounds).entries()) {
    for (const count of order) {
      const started = performance.now();
      const result = await effnetJson<EvalResult>([...args, '--workers', count]);
      const seconds = (performance.now() - started) / 1000;
      times[count]!.push(seconds);
      figures.add(`${result.count} ${result.loss} ${result.top1}`);
      process.stdout.write(`round ${round + 1}, ${result.workers} worker(s): ${seconds.toFixed(2)} s for ${result.count} images (load ${load()})\n`);
    }
  }
  const one = median(times['1']!);
  const many = median(times[workers]!);
  process.stdout.write(`\n$ effnet ${args.join(' ')} --workers 1|${workers}   (${rounds} interleaved rounds, whole processes)\n`);
  process.stdout.write(`median wall time: 1 worker ${one.toFixed(2)} s, ${workers} workers ${many.toFixed(2)} s: ${(one / many).toFixed(2)}x the speed of one\n`);
  process.stdout.write(`same figures in every run: ${figures.size === 1 ? 'yes' : `no (${[...figures].join('; ')})`}\n`);
  process.stdout.write(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()}; cores: ${availableParallelism()}\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

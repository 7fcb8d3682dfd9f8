// Data-parallel training steps against one worker, side by side in one run: `effnet bench --train`
// with --workers 1 and --workers N, interleaved round by round (each a fresh child process), so that
// load from other jobs on a shared machine hits both alike. Prints each round, the median step time
// of each and their ratio, with the load average before and after, and the CPU time per step of
// each (worker threads included): the work the data-parallel step adds, which load does not hide.
// The worker replica starts cold (the main thread has run the inference passes first): its own
// isolate compiles tfjs's JavaScript afresh and took 15-30 steps to reach its steady speed in our
// runs, so both sides get 30 untimed warm-up steps by default (--warmup; with 6 the ratio read
// 0.05-0.1 lower).
// With --pair, each round also runs two independent one-worker processes at once, each on half the
// batch (no shared memory, no exchange, no waiting for each other): the slower one's step is the
// most two replicas could give on this machine when both cores compute at once (caches, memory
// bandwidth and clock are shared), which one worker alone does not show.
//
//   npm run bench:workers -w @effnet/bench -- [--rounds 4] [--workers 2] [--preset efficientnetv2-28-lite] [--batch 128] [--runs 10] [--warmup 30] [--pair]
import { availableParallelism, loadavg } from 'node:os';
import { interleavedRounds, median, wholeNumber } from './bench-report.js';
import { effnetJson } from './effnet-child.js';
import { option } from './script-option.js';

/** What `effnet bench --json` prints (the fields used here). */
interface BenchResult {
  workers: number;
  training: { ms: number; cpuMs: number; imagesPerSecond: number };
}

const rounds = Number(option('rounds', '4'));
const workers = option('workers', '2');
const pair = process.argv.includes('--pair');
const batch = wholeNumber('--batch', option('batch', '128'), pair ? 2 : 1);
if (pair && workers !== '2') throw new Error(`--pair compares two processes with --workers 2; got --workers ${workers}`);
const common = ['bench', '--train', '--backend', 'wasm', '--preset', option('preset', 'efficientnetv2-28-lite'),
  '--channels', '1', '--classes', '10', '--runs', option('runs', '10'), '--warmup', option('warmup', '30')];
const args = [...common, '--batch', String(batch)];
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const loadBefore = load();
const times: Record<string, number[]> = { '1': [], [workers]: [], pair: [] };
const cpu: Record<string, number[]> = { '1': [], [workers]: [] };
for (const [round, order] of interleavedRounds(pair ? ['1', workers, 'pair'] : ['1', workers], rounds).entries()) {
  for (const count of order) {
    if (count === 'pair') {
      const halves = [Math.ceil(batch / 2), Math.floor(batch / 2)];
      const results = await Promise.all(halves.map((half) => effnetJson<BenchResult>([...common, '--batch', String(half), '--workers', '1'])));
      const slower = Math.max(...results.map((result) => result.training.ms));
      times.pair!.push(slower);
      process.stdout.write(`round ${round + 1}, two processes at once, batch ${halves.join(' + ')}: ${results.map((result) => result.training.ms.toFixed(1)).join(' and ')} ms per step\n`);
      continue;
    }
    const result = await effnetJson<BenchResult>([...args, '--workers', count]);
    times[count]!.push(result.training.ms);
    cpu[count]!.push(result.training.cpuMs);
    process.stdout.write(`round ${round + 1}, ${count} worker(s): ${result.training.ms.toFixed(1)} ms per step (${result.training.imagesPerSecond.toFixed(0)} images/s), CPU ${result.training.cpuMs.toFixed(1)} ms\n`);
  }
}
const one = median(times['1']!);
const many = median(times[workers]!);
process.stdout.write(`\n$ effnet ${args.join(' ')} --workers 1|${workers}   (${rounds} interleaved rounds)\n`);
process.stdout.write(`median step: 1 worker ${one.toFixed(1)} ms, ${workers} workers ${many.toFixed(1)} ms: ${(one / many).toFixed(2)}x the throughput of one\n`);
process.stdout.write(`median CPU time per step: 1 worker ${median(cpu['1']!).toFixed(1)} ms, ${workers} workers ${median(cpu[workers]!).toFixed(1)} ms (${workers} workers do ${(median(cpu[workers]!) / median(cpu['1']!)).toFixed(2)}x the work of one)\n`);
if (pair) {
  const slower = median(times.pair!);
  process.stdout.write(`two independent one-worker processes at once, half the batch each: the slower ${slower.toFixed(1)} ms per step, so at most ${(one / slower).toFixed(2)}x the throughput of one worker on this machine with no exchange at all\n`);
}
process.stdout.write(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()}; cores: ${availableParallelism()}\n`);

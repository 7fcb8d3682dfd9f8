// Pure helpers of `npm run bench`: command-line options, medians, the order of interleaved rounds,
// the max |difference| check and the printed table with ratios to onnxruntime-node. No timing happens here.

/** Options of `npm run bench`. */
export interface BenchOptions {
  /** Threads of every runtime that has threads (tfjs-cpu and wasm in Node have one). */
  threads: number;
  /** Timed inference calls per runtime (tfjs-cpu uses `cpuRuns`). */
  runs: number;
  /** Timed inference calls on tfjs-cpu (1.6 s each). */
  cpuRuns: number;
  /** Untimed calls before timing. */
  warmups: number;
  /** Timed training steps (B0 128, batch 16) on wasm and PyTorch. */
  trainRuns: number;
  /** Skip the training comparison. */
  skipTrain: boolean;
  /** Skip the browser benchmark (B0 on webgl and wasm in Chromium). */
  skipBrowser: boolean;
  /** Run only the onnxruntime part (`--only onnx`): torchvision's and effnet's exports, raw and through @effnet/backend-onnx. */
  onlyOnnx: boolean;
  /** Print the usage and stop. */
  help: boolean;
}

/** What `npm run bench -- --help` prints. */
export const BENCH_USAGE = `npm run bench -- [options]
  --threads N      threads of every runtime that has them (default 1)
  --runs N         timed inference rounds (default 20)
  --warmups N      untimed rounds first (default 3)
  --cpu-runs N     timed tfjs-cpu calls (default 3)
  --train-runs N   timed training steps on wasm and PyTorch (default 3)
  --skip-train     no training comparison
  --skip-browser   no browser benchmark
  --only onnx      only onnxruntime-node: torchvision's export, effnet's export (as OnnxModel makes it, and
                   in torchvision's layout) and @effnet/backend-onnx, interleaved (quick and quiet)
  --help           this text`;

/** Defaults: 1 thread, 20 runs after 3 warm-ups, 3 tfjs-cpu runs, 3 training steps, the browser benchmark. */
export const DEFAULT_BENCH_OPTIONS: Readonly<BenchOptions> = {
  threads: 1, runs: 20, cpuRuns: 3, warmups: 3, trainRuns: 3, skipTrain: false, skipBrowser: false, onlyOnnx: false, help: false,
};

/** Parses `--threads N --runs N --cpu-runs N --warmups N --train-runs N --skip-train --skip-browser --only onnx --help`; throws on anything else. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_BENCH_OPTIONS };
  const numeric: Record<string, keyof BenchOptions> = {
    '--threads': 'threads', '--runs': 'runs', '--cpu-runs': 'cpuRuns', '--warmups': 'warmups', '--train-runs': 'trainRuns',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--skip-train' || flag === '--skip-browser') {
      options[flag === '--skip-train' ? 'skipTrain' : 'skipBrowser'] = true;
      continue;
    }
    if (flag === '--help' || flag === '-h') {
      options.help = true;
      continue;
    }
    if (flag === '--only') {
      if (argv[i + 1] !== 'onnx') throw new Error(`bench: --only takes 'onnx' (the onnxruntime part), got '${argv[i + 1] ?? ''}'`);
      options.onlyOnnx = true;
      i += 1;
      continue;
    }
    const key = numeric[flag];
    if (key === undefined) throw new Error(`bench: unknown option '${flag}'; known: ${Object.keys(numeric).join(', ')}, --skip-train, --skip-browser, --only onnx, --help`);
    (options as unknown as Record<string, number>)[key] = wholeNumber(`bench: ${flag}`, argv[i + 1], key === 'warmups' ? 0 : 1);
    i += 1;
  }
  return options;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The order of side-by-side runs: every item once per round, the list rotated one place each round
 * (a b c, b c a, c a b, …; for two items a b, b a), so that load drifting over the run hits each alike.
 */
export function interleavedRounds<T>(items: readonly T[], rounds: number): T[][] {
  return Array.from({ length: rounds }, (_, round) => {
    const shift = round % items.length;
    return [...items.slice(shift), ...items.slice(0, shift)];
  });
}

/** `text` as a whole number ≥ `min` (digits only); throws naming `flag` otherwise. */
export function wholeNumber(flag: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min) throw new Error(`${flag} needs a whole number ≥ ${min}, got '${text ?? ''}'`);
  return value;
}

/** Parses a list of seeds, `0,1,2`: whole numbers ≥ 0, no repeats; throws naming the flag. */
export function parseSeeds(flag: string, value: string): number[] {
  const items = value.split(',').map((item) => item.trim());
  const seeds = items.map(Number);
  if (items.some((item) => !/^\d+$/.test(item)) || new Set(seeds).size !== seeds.length) {
    throw new Error(`${flag} needs whole numbers ≥ 0 separated by commas, each once (e.g. 0,1,2), got '${value}'`);
  }
  return seeds;
}

/** Largest |a[i] − b[i]|; infinite when the lengths differ. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** One measured runtime. */
export interface BenchRow {
  /** Runtime name, e.g. `onnxruntime-node 1.30.0`. */
  readonly runtime: string;
  /** Threads it used. */
  readonly threads: number;
  /** Timed runs, in ms. */
  readonly times: readonly number[];
}

/** A markdown table: runtime, threads, runs, median ms, ratio to the row named `baseline`. */
export function formatTable(rows: readonly BenchRow[], baseline: string): string {
  const base = rows.find((r) => r.runtime.startsWith(baseline));
  const lines = ['| runtime | threads | runs | median ms | × ' + baseline + ' |', '|---|---|---|---|---|'];
  for (const row of rows) {
    const m = median(row.times);
    const ratio = base === undefined ? 'n/a' : `${(m / median(base.times)).toFixed(2)}`;
    lines.push(`| ${row.runtime} | ${row.threads} | ${row.times.length} | ${m.toFixed(m < 100 ? 1 : 0)} | ${ratio} |`);
  }
  return lines.join('\n');
}

/**
 * One line comparing effnet on wasm with two PyTorch versions timed in the same rounds:
 * `what, effnet wasm / PyTorch A: r×; / PyTorch B: r× (PyTorch B / A: r×)`, from medians.
 */
export function torchRatios(what: string, wasmTimes: readonly number[], [first, second]: readonly [TorchTimes, TorchTimes]): string {
  const ratio = (a: readonly number[], b: readonly number[]) => `${(median(a) / median(b)).toFixed(2)}×`;
  return `${what}, effnet wasm / PyTorch ${first.torch}: ${ratio(wasmTimes, first.times)}; / PyTorch ${second.torch}: ${ratio(wasmTimes, second.times)}` +
    ` (PyTorch ${second.torch} / ${first.torch}: ${ratio(second.times, first.times)})`;
}

/** One PyTorch version's timed runs. */
export interface TorchTimes {
  /** torch.__version__. */
  readonly torch: string;
  /** Timed runs, in ms. */
  readonly times: readonly number[];
}

// The pure helpers of `npm run bench`: option parsing (and its errors), medians, differences
// and the table's ratios.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_OPTIONS, formatTable, interleavedRounds, maxAbsDiff, median, parseBenchArgs, parseSeeds, torchRatios, wholeNumber } from './bench-report.js';

describe('bench helpers', () => {
  it('interleaves side-by-side runs, rotating the order each round', () => {
    expect(interleavedRounds(['1', '2'], 4)).toEqual([['1', '2'], ['2', '1'], ['1', '2'], ['2', '1']]);
    expect(interleavedRounds([28, 48, 64], 4)).toEqual([[28, 48, 64], [48, 64, 28], [64, 28, 48], [28, 48, 64]]);
  });

  it('reads whole numbers and refuses anything else, naming the flag', () => {
    expect(wholeNumber('--jobs', '2', 1)).toBe(2);
    expect(wholeNumber('--warmups', '0', 0)).toBe(0);
    for (const bad of [undefined, '', '0', '-1', '1.5', '1e1', ' 2', 'two']) {
      expect(() => wholeNumber('--jobs', bad, 1)).toThrow(`--jobs needs a whole number ≥ 1, got '${bad ?? ''}'`);
    }
  });

  it('parses seed lists and refuses bad ones', () => {
    expect(parseSeeds('--seeds', '0,1, 2')).toEqual([0, 1, 2]);
    expect(parseSeeds('--seed', '7')).toEqual([7]);
    for (const bad of ['', '1,,2', '-1', '1.5', 'a', '1,1']) {
      expect(() => parseSeeds('--seeds', bad)).toThrow(`--seeds needs whole numbers ≥ 0 separated by commas, each once (e.g. 0,1,2), got '${bad}'`);
    }
  });

  it('parses the options and refuses unknown or bad ones', () => {
    expect(parseBenchArgs([])).toEqual(DEFAULT_BENCH_OPTIONS);
    expect(parseBenchArgs(['--threads', '2', '--runs', '5', '--warmups', '0', '--skip-train', '--skip-browser'])).toEqual({
      ...DEFAULT_BENCH_OPTIONS, threads: 2, runs: 5, warmups: 0, skipTrain: true, skipBrowser: true,
    });
    expect(() => parseBenchArgs(['--thread', '2'])).toThrow("bench: unknown option '--thread'");
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow("bench: --runs needs a whole number ≥ 1, got '0'");
    expect(() => parseBenchArgs(['--threads'])).toThrow("bench: --threads needs a whole number ≥ 1, got ''");
    expect(parseBenchArgs(['--only', 'onnx', '--runs', '15'])).toEqual({ ...DEFAULT_BENCH_OPTIONS, onlyOnnx: true, runs: 15 });
    expect(parseBenchArgs(['--help'])).toEqual({ ...DEFAULT_BENCH_OPTIONS, help: true });
    expect(() => parseBenchArgs(['--only', 'wasm'])).toThrow("bench: --only takes 'onnx' (the onnxruntime part), got 'wasm'");
  });

  it('medians of odd and even lists; max differences', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of an empty list');
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(maxAbsDiff([1], [1, 2])).toBe(Number.POSITIVE_INFINITY);
  });

  it('prints each runtime’s median and its ratio to the baseline', () => {
    const table = formatTable(
      [
        { runtime: 'onnxruntime-node 1.30.0', threads: 1, times: [10, 12, 11] },
        { runtime: 'effnet wasm', threads: 1, times: [40, 60, 50] },
        { runtime: 'tfjs-cpu', threads: 1, times: [1500, 1700] },
      ],
      'onnxruntime-node',
    );
    expect(table.split('\n')).toEqual([
      '| runtime | threads | runs | median ms | × onnxruntime-node |',
      '|---|---|---|---|---|',
      '| onnxruntime-node 1.30.0 | 1 | 3 | 11.0 | 1.00 |',
      '| effnet wasm | 1 | 3 | 50.0 | 4.55 |',
      '| tfjs-cpu | 1 | 2 | 1600 | 145.45 |',
    ]);
  });

  it('compares wasm with two PyTorch versions from the medians of the same rounds', () => {
    const line = torchRatios('training step', [300, 500, 400], [
      { torch: '1.13.0a0', times: [100, 300, 200] },
      { torch: '2.13.0+cpu', times: [160, 150, 140] },
    ]);
    expect(line).toBe('training step, effnet wasm / PyTorch 1.13.0a0: 2.00×; / PyTorch 2.13.0+cpu: 2.67× (PyTorch 2.13.0+cpu / 1.13.0a0: 0.75×)');
  });
});

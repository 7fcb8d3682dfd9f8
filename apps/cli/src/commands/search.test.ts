// End-to-end tests of `effnet search` (a one-candidate search of two steps on 30 Fashion-MNIST
// images, wasm backend) and of `effnet train --spec` on its best.json, through `main`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cost, type ModelSpec } from '@effnet/scaling';
import type { SearchResult } from '@effnet/search';
import { runCli as run } from '../../test/cli-runner.js';
import { searchReportSpecs } from '../report/search-report.js';
import type { SearchRunSummary } from '../run/search-run.js';
import type { TrainRunSummary } from '../run/training-run.js';
import { parseDuration } from './search.js';

const TINY = ['--candidates', '1', '--backend', 'wasm', '--steps', '2', '--batch', '8', '--train-per-class', '2', '--val-per-class', '1', '--seed', '5'];
let dir: string;
let searchDir: string;
let summary: SearchRunSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-search-cli-'));
  searchDir = join(dir, 'search');
  // One candidate (--candidates 1 in TINY), however fast this machine is.
  const result = await run('search', '--budget', '10m', '--out', searchDir, ...TINY, '--json');
  expect(result.err).not.toMatch(/error/);
  expect(result.code).toBe(0);
  summary = JSON.parse(result.out) as SearchRunSummary;
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('effnet search', () => {
  it('writes results.jsonl, best.json, best.txt and report.html for the candidates it trained', () => {
    const results = readFileSync(join(searchDir, 'results.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as SearchResult);
    expect(results).toHaveLength(1);
    expect(summary.candidates).toBe(1);
    expect(summary.backend).toBe('wasm');
    expect(summary.bestBlocks).toEqual(results[0]!.blocks);
    expect(readFileSync(join(searchDir, 'best.txt'), 'utf8')).toBe(`${results[0]!.blocks.join('\n')}\n`);
    const spec = JSON.parse(readFileSync(join(searchDir, 'best.json'), 'utf8')) as ModelSpec;
    expect(spec.stages!.map((s) => s.blockString)).toEqual(results[0]!.blocks);
    expect(cost(spec).params).toBe(results[0]!.params);
    expect([spec.numClasses, spec.inChannels]).toEqual([10, 1]);
    const html = readFileSync(join(searchDir, 'report.html'), 'utf8');
    expect(html).toContain('<div id="byStepTime"></div>');
    expect(html).toContain(results[0]!.blocks[0]);
  });

  it('refuses a used folder, and --resume with a spent budget adds nothing', async () => {
    const used = await run('search', '--budget', '1s', '--out', searchDir, ...TINY);
    expect(used.code).toBe(2);
    expect(used.err).toMatch(/^error: .*already holds a search \(search.json, results.jsonl\): add --resume to continue it, or choose another --out\n$/);
    const resumed = await run('search', '--budget', '1s', '--out', searchDir, ...TINY, '--resume', '--json');
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.out) as SearchRunSummary).candidates).toBe(1);
    const other = await run('search', '--budget', '1s', '--out', searchDir, ...TINY, '--seed', '6', '--resume');
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/resume: the stored search has seed = 5, this one 6/);
  });

  it('refuses bad values with one typed line and exit 2', async () => {
    for (const [args, message] of [
      [['--budget', 'abc'], /--budget: expected a duration such as 20m, 90s or 1h, got 'abc'/],
      [['--strategy', 'annealing'], /--strategy: unknown strategy 'annealing': use random or evolution/],
      [['--steps', '1'], /--steps: expected an integer ≥ 2, got '1'/],
      [['--candidates', '0'], /--candidates: expected an integer ≥ 1, got '0'/],
      [['--population', '3', '--sample-size', '4'], /--sample-size: 4 is larger than --population 3/],
      [['--data', 'cifar'], /--data: .*fashion-mnist or mnist/],
    ] as [string[], RegExp][]) {
      const result = await run('search', '--out', join(dir, 'never'), ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('--compound trains grid points at φ = 1 and writes the family of the best coefficients', async () => {
    const out = join(dir, 'compound');
    const result = await run('search', '--compound', '--grid-step', '0.1', '--budget', '10m', '--out', out, ...TINY, '--json');
    expect(result.code).toBe(0);
    const compound = (JSON.parse(result.out) as SearchRunSummary).compound!;
    // The first grid point in scaling's α, β, γ order with step 0.1: α = β = 1, γ = 1.4 (α·β²·γ² = 1.96).
    expect([compound.alpha, compound.beta, compound.gamma]).toEqual([1, 1, 1.4]);
    expect(compound.family.map((m) => [m.name, m.resolution])).toEqual([1, 2, 3, 4, 5, 6, 7].map((phi) => [`efficientnetv2-28-lite-b${phi}`, Math.round(28 * 1.4 ** phi)]));
    const family = JSON.parse(readFileSync(join(out, 'family.json'), 'utf8')) as ModelSpec[];
    expect(family.map((spec) => cost(spec).params)).toEqual(compound.family.map((m) => m.params));
  }, 300_000);

  it('parses durations in seconds, minutes and hours', () => {
    expect([parseDuration('20m'), parseDuration('90s'), parseDuration('1.5h'), parseDuration('300')]).toEqual([1200, 90, 5400, 300]);
  });

  it('plots the Pareto fronts of the candidates', () => {
    const c = (label: string, accuracy: number, stepMs: number, params: number) => ({ label, accuracy, stepMs, params, reward: accuracy });
    const specs = searchReportSpecs([c('a', 0.5, 10, 300), c('b', 0.7, 20, 100), c('c', 0.6, 30, 200)]) as Record<string, { layer: { data: { values: { x?: number; label?: string; front?: string }[] } }[] }>;
    expect(specs['byStepTime']!.layer[0]!.data.values.map((v) => v.x)).toEqual([10, 20]);
    expect(specs['byParams']!.layer[0]!.data.values.map((v) => v.x)).toEqual([100]);
    expect(specs['byStepTime']!.layer[1]!.data.values.map((v) => v.front)).toEqual(['Pareto front', 'Pareto front', 'dominated']);
  });
});

describe('effnet train --spec', () => {
  it('trains the spec in best.json', async () => {
    const result = await run('train', '--spec', join(searchDir, 'best.json'), '--out', join(dir, 'run'), '--backend', 'wasm', '--limit-per-class', '2', '--batch', '8', '--epochs', '1', '--stages', '1', '--stage-eval', '0', '--samples', '0', '--json');
    expect(result.err).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const trained = JSON.parse(result.out) as TrainRunSummary;
    expect(trained.preset).toBe('search-best');
    expect(trained.params).toBe(summary.best.params);
    expect(trained.steps).toBe(2);
  }, 300_000);

  it('refuses a missing, non-JSON, non-spec or mismatched spec file in one line', async () => {
    mkdirSync(join(dir, 'specs'));
    writeFileSync(join(dir, 'specs', 'text.json'), 'not json');
    writeFileSync(join(dir, 'specs', 'empty.json'), '{}');
    const spec = JSON.parse(readFileSync(join(searchDir, 'best.json'), 'utf8')) as ModelSpec;
    writeFileSync(join(dir, 'specs', 'rgb.json'), JSON.stringify({ ...spec, inChannels: 3 }));
    for (const [file, message] of [
      ['missing.json', /cannot be read \(ENOENT\)/],
      ['text.json', /is not JSON/],
      ['empty.json', /is not a ModelSpec \(missing name, blocks/],
      ['rgb.json', /takes 3-channel images but the data has 1/],
    ] as [string, RegExp][]) {
      const result = await run('train', '--spec', join(dir, 'specs', file), '--out', join(dir, `run-${file}`), '--backend', 'cpu', '--limit-per-class', '2');
      expect(result.code, file).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
    const both = await run('train', '--spec', join(searchDir, 'best.json'), '--preset', 'efficientnetv2-28', '--out', join(dir, 'run-both'), '--backend', 'cpu', '--limit-per-class', '2');
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--spec: cannot be combined with --preset/);
  });
});

// The README's preset table is the generator's output (not typed by hand, not stale), and its
// example prints what its comments say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cost, decodeBlock, preset, presetNames, scale } from '../src/index.js';
import { README, readTorchvisionCounts, renderPresetTable, withTable } from '../scripts/readme-table.js';

const readme = readFileSync(README, 'utf8');

describe('README.md', () => {
  it('holds the generated preset table, up to date', () => {
    expect(withTable(readme, renderPresetTable(readTorchvisionCounts()))).toBe(readme);
  });

  it('lists every preset once in the table', () => {
    const rows = readme.split('\n').filter((line) => /^\| `efficient/.test(line));
    expect(rows).toHaveLength(presetNames().length);
    expect(presetNames()).toHaveLength(34);
  });

  it('has a five-line example whose comments are right', () => {
    const example = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
    expect(example).toHaveLength(5);
    const b0 = preset('efficientnet-b0');
    expect(example[2]).toContain(`// ${cost(b0).params}`);
    expect(example[3]).toContain(`// { train: ${scale(b0, { phi: 1 }).resolution.train}, eval: 258 }`);
    expect(example[4]).toContain(`// '${decodeBlock('r2_k3_s2_e4_i24_o48_c1').kind}'`);
  });
});

// The cpu backend takes about a minute per training step of a proxy candidate; wasm a second.
import '@effnet/backend-wasm';
import { useBackend } from '@effnet/backends';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cost, type ModelSpec } from '@effnet/scaling';
import { fashionMnistSample } from '../test/fashion-mnist-sample.js';
import { architectureSearch, type SearchResult } from './architecture-search.js';
import { PROXY_28_FRAME, PROXY_28_SPACE, stageSpace } from './choice-space.js';
import { EffnetSearchError } from './errors.js';
import { fileSearchStore } from './node/file-search-store.js';
import { searchReward } from './reward.js';
import { memorySearchStore } from './search-store.js';
import type { ProxyTask } from './train-candidate.js';

const space = stageSpace(PROXY_28_SPACE, PROXY_28_FRAME);
const task: ProxyTask = { train: fashionMnistSample('fm/train', 2), validation: fashionMnistSample('fm/val', 1, 100), numClasses: 10, mean: [0.286], std: [0.353] };
const training = { steps: 2, batchSize: 8 };
let dir: string;

beforeAll(async () => {
  await useBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'effnet-search-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A deterministic stand-in for training (a zero-cost proxy: smaller is "better"), so evolution's choices are exact. */
async function costProxy(spec: ModelSpec) {
  const { params, macs } = cost(spec);
  return { accuracy: 1 / (1 + params / 1e5), stepMs: macs / 1e6, params, flops: 2 * macs, seconds: 1, backend: 'none' };
}

const genomes = (results: SearchResult[]) => results.map((r) => r.genome.join(''));

describe('architectureSearch with real training', () => {
  it('trains each candidate, times its steps, and scores it with the reward; a killed search resumes with the same sequence', async () => {
    const whole = await architectureSearch({ space, task, training, strategy: { kind: 'random' }, seed: 3, budget: { candidates: 2 } });
    expect(whole.results).toHaveLength(2);
    expect(whole.ended).toBe('candidates');
    for (const r of whole.results) {
      expect(r.backend).toBe('wasm');
      expect(r.stepMs).toBeGreaterThan(0);
      expect(r.accuracy * 10).toBe(Math.round(r.accuracy * 10)); // 10 validation images
      expect(r.params).toBe(cost(space.spec(r.genome)).params);
      expect(r.reward).toBe(searchReward(r));
      expect(r.blocks).toEqual(space.blocks(r.genome));
    }
    // One result in a file store, as a search killed during its second candidate leaves it.
    const store = fileSearchStore<SearchResult>(join(dir, 'random'));
    await architectureSearch({ space, task, training, strategy: { kind: 'random' }, seed: 3, budget: { candidates: 1 }, store });
    const resumed = await architectureSearch({ space, task, training, strategy: { kind: 'random' }, seed: 3, budget: { candidates: 2 }, store });
    expect(genomes(resumed.results)).toEqual(genomes(whole.results));
    // Same seed, same data order, same backend: the same accuracies.
    expect(resumed.results.map((r) => r.accuracy)).toEqual(whole.results.map((r) => r.accuracy));
    expect(readFileSync(join(dir, 'random', 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 300_000);
});

describe('architectureSearch strategies', () => {
  it('regularised evolution resumed after 2 of 14 candidates proposes exactly what an uninterrupted run does', async () => {
    const options = { space, training, evaluate: costProxy, strategy: { kind: 'evolution' as const, population: 4, sampleSize: 2 }, seed: 11 };
    const whole = await architectureSearch({ ...options, budget: { candidates: 14 } });
    const store = memorySearchStore<SearchResult>();
    await architectureSearch({ ...options, budget: { candidates: 2 }, store });
    const resumed = await architectureSearch({ ...options, budget: { candidates: 14 }, store });
    expect(genomes(resumed.results)).toEqual(genomes(whole.results));
    expect(resumed.results.map((r) => r.parent)).toEqual(whole.results.map((r) => r.parent));
    // After the random population, every candidate is a one-choice mutation of a living parent.
    for (const r of whole.results.slice(4)) {
      expect(r.parent).toBeGreaterThanOrEqual(r.index - 4);
      const parent = whole.results[r.parent!]!;
      expect(r.genome.filter((g, i) => g !== parent.genome[i])).toHaveLength(1);
    }
    // The best is the highest reward.
    expect(whole.best.reward).toBe(Math.max(...whole.results.map((r) => r.reward)));
  });

  it('gives different seeds different candidate sequences (no shifted overlap)', async () => {
    const bySeed = await Promise.all([1, 2, 3].map(async (seed) => genomes((await architectureSearch({ space, training, evaluate: costProxy, strategy: { kind: 'random' }, seed, budget: { candidates: 6 } })).results)));
    const all = bySeed.flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it('stops on the seconds budget, counting stored results', async () => {
    const store = memorySearchStore<SearchResult>();
    const first = await architectureSearch({ space, training, evaluate: costProxy, budget: { seconds: 3 }, store });
    expect(first.results).toHaveLength(3);
    expect(first.ended).toBe('seconds');
    const again = await architectureSearch({ space, training, evaluate: costProxy, budget: { seconds: 3 }, store });
    expect(again.results).toHaveLength(3);
  });

  it('refuses bad options and a store of another search with typed errors', async () => {
    const store = memorySearchStore<SearchResult>();
    await architectureSearch({ space, training, evaluate: costProxy, budget: { candidates: 1 }, seed: 1, store });
    await expect(architectureSearch({ space, training, evaluate: costProxy, budget: { candidates: 2 }, seed: 2, store })).rejects.toThrow(/seed = 1, this one 2/);
    await expect(architectureSearch({ space, training, evaluate: costProxy, budget: {} })).rejects.toThrow(EffnetSearchError);
    await expect(architectureSearch({ space, training: { steps: 1, batchSize: 8 }, evaluate: costProxy, budget: { candidates: 1 } })).rejects.toThrow(/training.steps/);
    await expect(architectureSearch({ space, training, evaluate: costProxy, budget: { candidates: 1 }, strategy: { kind: 'annealing' } as never })).rejects.toThrow(/strategy/);
    await expect(architectureSearch({ space, training, budget: { candidates: 1 } })).rejects.toThrow(/proxy task/);
  });

  it('reads a damaged results file as a typed error naming the line', async () => {
    const folder = join(dir, 'damaged');
    const store = fileSearchStore<SearchResult>(folder);
    await architectureSearch({ space, training, evaluate: costProxy, budget: { candidates: 1 }, store });
    writeFileSync(join(folder, 'results.jsonl'), `${readFileSync(join(folder, 'results.jsonl'), 'utf8')}{"index": 1, "geno\n`);
    await expect(architectureSearch({ space, training, evaluate: costProxy, budget: { candidates: 3 }, store })).rejects.toThrow(/line 2 is not JSON/);
  });
});

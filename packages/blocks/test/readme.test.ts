// Runs every TypeScript example of README.md as written and checks that what it prints is what
// its `// prints` comments say.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');
const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
const examples = readme
  .split(/^## /m)
  .slice(1)
  .flatMap((section) => {
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    return code ? [{ title: section.split('\n')[0]!, code }] : [];
  });
const scratch = join(PACKAGE, 'tmp');

beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(scratch, { recursive: true });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('README.md examples', () => {
  it('has the custom-backbone example in ten lines of code between the imports and the printing', () => {
    expect(examples.map((e) => e.title)).toEqual(['A three-stage custom backbone in ten lines', 'Pooling and SiLU, with their own gradients', "Batch norm's training gradients, and the kernels a backend may register", 'Writing a layer']);
    const lines = examples[0]!.code.trim().split('\n');
    const body = lines.filter((line) => !line.startsWith('import ') && !line.startsWith('console.log') && !/dispose\(/.test(line));
    expect(body).toHaveLength(10);
  });

  it.each(examples.map((e, i) => [e.title, i] as const))('“%s” runs and prints what its comments say', async (_title, i) => {
    const { code } = examples[i]!;
    const file = join(scratch, `readme-${i}.ts`);
    writeFileSync(file, code);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(format(...args));
    });
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
    const expected = code.split('\n').flatMap((line) => /\/\/ prints (.*)$/.exec(line)?.[1] ?? []);
    expect(expected.length).toBeGreaterThan(0);
    expect(printed).toEqual(expected);
  });
});

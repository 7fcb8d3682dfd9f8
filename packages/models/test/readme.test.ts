// Runs every TypeScript example of README.md as written (in a scratch directory holding the
// checkpoints it reads) and checks that what it prints is what its `// prints` comments say.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { preset } from '@effnet/scaling';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { timmNames, torchvisionNames, writeSafetensors, type NameTable } from '../src/index.js';

const PACKAGE = join(import.meta.dirname, '..');
const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
const examples = readme
  .split(/^## /m)
  .slice(1)
  .flatMap((section) => {
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    return code ? [{ title: section.split('\n')[0]!, code }] : [];
  });
const work = mkdtempSync(join(tmpdir(), 'effnet-readme-'));
const scratch = join(PACKAGE, 'tmp');

/** A PyTorch-layout state dict of `spec` under `names`, filled with small pseudo-random values. */
function checkpoint(names: NameTable, shapes: Record<string, readonly number[]>): Uint8Array {
  let s = 12345;
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [ours, [theirs, layout]] of names) {
    const h = shapes[ours]!;
    const shape = layout === 'conv' ? [h[3]!, h[2]!, h[0]!, h[1]!] : layout === 'depthwise' ? [h[2]!, 1, h[0]!, h[1]!] : layout === 'linear' ? [h[1]!, h[0]!] : [...h];
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      values[i] = theirs.endsWith('running_var') ? 1 : (s / 2 ** 32 - 0.5) * 0.1;
    }
    tensors.set(theirs, { shape, values });
  }
  return writeSafetensors(tensors);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const { EfficientNet } = await import('../src/index.js');
  const counted = new EfficientNet(preset('efficientnet-b0'), { shapeOnly: true });
  const shapes = Object.fromEntries(counted.store.list().map((e) => [e.name, e.shape]));
  writeFileSync(join(work, 'efficientnet_b0.safetensors'), checkpoint(torchvisionNames(counted.spec), shapes));
  writeFileSync(join(work, 'model.safetensors'), checkpoint(timmNames(counted.spec), shapes));
  mkdirSync(scratch, { recursive: true });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('README.md examples', () => {
  it('has the examples the issues ask for: build and predict, features, save and load, import, fine-tuning, detection', () => {
    expect(examples.map((e) => e.title)).toEqual(['Build and predict', 'Extract features', 'Save and load', 'Import a torchvision or timm checkpoint', 'Fine-tune on new classes', 'Detect objects (EfficientDet)']);
  });

  it.each(examples.map((e, i) => [e.title, i] as const))('“%s” runs and prints what its comments say', async (_title, i) => {
    const { code } = examples[i]!;
    const file = join(scratch, `readme-${i}.ts`);
    writeFileSync(file, code);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(format(...args));
    });
    const cwd = process.cwd();
    process.chdir(work);
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      process.chdir(cwd);
      log.mockRestore();
    }
    const expected = code.split('\n').flatMap((line) => /\/\/ prints (.*?)(?: \(.*\))?$/.exec(line)?.[1] ?? []);
    expect(expected.length).toBeGreaterThan(0);
    expect(printed).toEqual(expected);
  }, 120_000);
});

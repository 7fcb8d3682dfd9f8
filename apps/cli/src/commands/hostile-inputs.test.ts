// Every failure of the CLI is one line and exit 2 (1 for usage), never a stack trace: the bad
// commands of a careless user run through `main` (wasm or cpu backend, tiny data), stderr grepped
// for stack frames. Also: image-folder classes matched by name; NaN weights refused by import and
// predict; a full disk (a 1 MiB tmpfs, when this process may mount one) and a read-only one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { efficientnet, torchvisionNames, writeSafetensors } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { errorLine } from '../error-line.js';
import { runCli } from '../../test/cli-runner.js';
import { saveModel } from '../run/model-folder.js';
import '../register-backends.js';

const run = runCli;

function expectOneLine(result: { code: number; err: string }, pattern: RegExp, code = 2): void {
  expect(result.err, 'a stack frame').not.toMatch(/^\s+at /m);
  expect(result.err.trim().split('\n'), result.err).toHaveLength(1);
  expect(result.err).toMatch(pattern);
  expect(result.code).toBe(code);
}

const TINY = ['--preset', 'efficientnetv2-28-lite', '--backend', 'wasm', '--limit-per-class', '2', '--batch', '16', '--stages', '1', '--to-size', '16', '--stage-eval', '0', '--samples', '0', '--checkpoint-every', '1', '--epochs', '1'];
const COLOURS: Record<string, [number, number, number]> = { a: [200, 30, 30], b: [30, 200, 30], c: [30, 30, 200], d: [200, 200, 30] };

/** `root/<split>/<class>/<i>.png`, 16×16 solid colours, `count` per class. */
async function imageFolder(root: string, splits: Record<string, string[]>, count = 3): Promise<string> {
  for (const [split, classes] of Object.entries(splits)) {
    for (const name of classes) {
      mkdirSync(join(root, split, name), { recursive: true });
      for (let i = 0; i < count; i++) {
        const [r, g, b] = COLOURS[name]!;
        await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: r + i, g, b } } }).png().toFile(join(root, split, name, `${i}.png`));
      }
    }
  }
  return root;
}

/** Mounts a tmpfs at `dir` (root only); returns why not, or null when mounted. */
function mountTmpfs(dir: string, options: string): string | null {
  mkdirSync(dir, { recursive: true });
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  return result.status === 0 ? null : `mount -t tmpfs failed (${(result.stderr || String(result.error)).trim()})`;
}

let dir: string;
let modelDir: string;
const spec = preset('efficientnetv2-28-lite', { numClasses: 3, inChannels: 3 }) as ModelSpec;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-hostile-'));
  modelDir = join(dir, 'abc-model');
  const model = efficientnet(spec, { seed: 1 });
  await saveModel(modelDir, model, { spec, classNames: ['a', 'b', 'c'], mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], imageSize: 16, source: 'test' });
  model.dispose();
});
afterAll(() => {
  for (const mount of ['full', 'readonly']) spawnSync('umount', [join(dir, mount)]);
  rmSync(dir, { recursive: true, force: true });
});

describe('image folders match classes by name', () => {
  it('refuses a test/ split that lacks or adds a class, and an empty class folder', async () => {
    const lacking = await imageFolder(join(dir, 'lacking'), { train: ['a', 'b', 'c'], test: ['a', 'b'] });
    expectOneLine(await run('train', '--out', join(dir, 'r1'), ...TINY, '--data', lacking), /: test\/ lacks c: give train\/ and test\/ the same class folders$/m);
    const extra = await imageFolder(join(dir, 'extra'), { train: ['a', 'b'], test: ['a', 'b', 'd'] });
    expectOneLine(await run('train', '--out', join(dir, 'r2'), ...TINY, '--data', extra), /test\/ has d that train\/ lacks/);
    const empty = await imageFolder(join(dir, 'empty'), { train: ['a', 'b'], test: ['a', 'b'] });
    mkdirSync(join(empty, 'train', 'c'));
    mkdirSync(join(empty, 'test', 'c'));
    expectOneLine(await run('train', '--out', join(dir, 'r3'), ...TINY, '--data', empty), /train: class folder c holds no images: add images or remove the folder/);
  });

  it('effnet eval counts each folder as the model class of the same name', async () => {
    const bc = await imageFolder(join(dir, 'bc'), { test: ['b', 'c'] }, 2);
    const result = await run('eval', modelDir, '--data', bc, '--backend', 'cpu', '--json');
    expect(result.code, result.err).toBe(0);
    const { confusion, count } = JSON.parse(result.out) as { confusion: number[][]; count: number };
    expect(count).toBe(4);
    // Rows are the truth: b is row 1 and c row 2 of the model's classes, a (row 0) has no images.
    expect(confusion.map((row) => row.reduce((x, y) => x + y, 0))).toEqual([0, 2, 2]);
    const foreign = await imageFolder(join(dir, 'bd'), { test: ['b', 'd'] }, 1);
    expectOneLine(await run('eval', modelDir, '--data', foreign, '--backend', 'cpu'), /has classes the model does not know: d \(the model's classes: a, b, c\)/);
  });
});

describe('non-finite weights', () => {
  it('are refused by effnet predict and effnet import, naming the tensor', async () => {
    const nanModel = join(dir, 'nan-model');
    const model = efficientnet(spec, { seed: 2 });
    await saveModel(nanModel, model, { spec, classNames: ['a', 'b', 'c'], mean: [0.5], std: [0.25], imageSize: 16, source: 'test' });
    const weights = readFileSync(join(nanModel, 'model', 'weights.bin'));
    weights.writeFloatLE(NaN, 8);
    writeFileSync(join(nanModel, 'model', 'weights.bin'), weights);
    const image = join(dir, 'a.png');
    await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toFile(image);
    expectOneLine(await run('predict', '--model', nanModel, '--backend', 'cpu', image), /^error: weights: tensor '.+' holds NaN at index 2/);

    model.dispose();
    const greySpec = preset('efficientnetv2-28-lite', { numClasses: 3 }) as ModelSpec; // what import builds: 1 channel
    const grey = efficientnet(greySpec, { seed: 3 });
    const variables = grey.namedVariables();
    const torchShape = (shape: number[], layout: string) =>
      layout === 'conv' ? [shape[3]!, shape[2]!, shape[0]!, shape[1]!] : layout === 'depthwise' ? [shape[2]!, 1, shape[0]!, shape[1]!] : layout === 'linear' ? [shape[1]!, shape[0]!] : shape;
    const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const [ours, [theirs, layout]] of torchvisionNames(greySpec)) {
      const shape = torchShape(variables[ours]!.shape, layout);
      tensors.set(theirs, { shape, values: new Float32Array(shape.reduce((x, y) => x * y, 1)).fill(0.1) });
    }
    grey.dispose();
    tensors.get('classifier.1.bias')!.values[1] = Infinity;
    const file = join(dir, 'inf.safetensors');
    writeFileSync(file, writeSafetensors(tensors));
    const out = join(dir, 'imported');
    expectOneLine(await run('import', file, '--preset', 'efficientnetv2-28-lite', '--num-classes', '3', '--from', 'torchvision', '--out', out, '--backend', 'cpu'), /tensor 'classifier\.1\.bias' holds Infinity at index 1/);
    expect(readdirSync(dir)).not.toContain('imported');
  });
});

describe('every failure is one line', () => {
  it('bad paths and edited files: --out a file, empty, under a file; --model a file; edited model.json and checkpoint fields', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    expectOneLine(await run('train', '--out', file, ...TINY), /plain-file: is a file, not a folder: pass a folder for --out/);
    expectOneLine(await run('train', '--out', '', ...TINY), /^error: --out: is empty: pass a folder/);
    expectOneLine(await run('train', '--out', join(file, 'run'), ...TINY), /plain-file: is a file, so .+plain-file\/run cannot be a folder: choose another --out/);
    expectOneLine(await run('predict', '--model', file, '--backend', 'cpu', file), /plain-file: is a file, not a model folder/);
    expectOneLine(await run('eval', modelDir, '--data', file, '--backend', 'cpu'), /plain-file: cannot read the folder/);
    expectOneLine(await run('train', '--out', join(dir, 'long'), ...TINY, '--epochs', '1e15'), /^error: epochs: 1000000000000000 epochs are 1,000,000,000,000,000 steps, more than 100,000,000: ask for fewer epochs$/m);
    expectOneLine(await run('train', '--out', join(dir, 'staged'), ...TINY, '--stages', '1000'), /^error: stages: 1000 stages need at least as many steps, and 1 epochs of 16 images are 1 steps/);
    expectOneLine(await run('train', '--out', join(dir, 'big'), ...TINY, '--to-size', '3000'), /'--to-size <pixels>' argument '3000' is invalid. expected at most 1024 pixels/, 1);

    const edits: [string, (json: { weightsManifest: { weights: { shape: unknown; dtype: unknown }[] }[] }) => void][] = [
      ['null shape', (json) => (json.weightsManifest[0]!.weights[0]!.shape = null)],
      ['wrong shape', (json) => (json.weightsManifest[0]!.weights[0]!.shape = [3, 3, 3, 99])],
      ['wrong dtype', (json) => (json.weightsManifest[0]!.weights[0]!.dtype = 'complex64')],
      ['null manifest', (json) => (json.weightsManifest = null as never)],
    ];
    for (const [what, edit] of edits) {
      const edited = join(dir, `edited-${what.replace(' ', '-')}`);
      spawnSync('cp', ['-r', modelDir, edited]);
      const path = join(edited, 'model', 'model.json');
      const json = JSON.parse(readFileSync(path, 'utf8'));
      edit(json);
      writeFileSync(path, JSON.stringify(json));
      const result = await run('eval', edited, '--data', join(dir, 'bc'), '--backend', 'cpu');
      expectOneLine(result, /^error: /);
    }

    const runDir = join(dir, 'ckpt-run');
    expect((await run('train', '--out', runDir, ...TINY)).code).toBe(0);
    const ckpt = join(runDir, 'checkpoints', 'step-000000001', 'checkpoint.json');
    const original = readFileSync(ckpt, 'utf8');
    const ckptEdits: [string, (meta: { tensors: Record<string, { shape: unknown; dtype: unknown; offset: unknown }>; state: Record<string, unknown> }) => void, RegExp][] = [
      ['null shape', (meta) => (Object.values(meta.tensors)[0]!.shape = null), /tensor '.+' has no valid shape/],
      ['wrong dtype', (meta) => (Object.values(meta.tensors)[0]!.dtype = 'float64'), /tensor '.+' has dtype "float64"/],
      ['wrong shape', (meta) => (meta.tensors['model/head.conv.kernel']!.shape = [1, 1, 1, 1]), /does not fit tensors\.bin|shape/],
      ['missing slot', (meta) => delete meta.tensors['optimizer/3'], /lacks the tensor 'optimizer\/3'/],
      ['null state', (meta) => (meta.state = null as never), /./],
    ];
    for (const [what, edit, pattern] of ckptEdits) {
      const meta = JSON.parse(original);
      edit(meta);
      writeFileSync(ckpt, JSON.stringify(meta));
      const result = await run('train', '--out', runDir, ...TINY, '--resume');
      expect(result.err, what).not.toMatch(/^\s+at /m);
      expectOneLine(result, pattern);
    }
    writeFileSync(ckpt, original);
  }, 120_000);

  it('a read-only file system and a full disk (1 MiB tmpfs); the next start on a freed disk clears the leftovers', async (context) => {
    const readonly = join(dir, 'readonly');
    const full = join(dir, 'full');
    const why = mountTmpfs(readonly, 'ro,size=1m') || mountTmpfs(full, 'size=1m');
    if (why) {
      console.warn(`skipped: ${why}; a read-only or full disk needs root to mount a tmpfs`);
      context.skip();
    }
    expectOneLine(await run('train', '--out', join(readonly, 'run'), ...TINY), /readonly: the file system is read-only: choose a folder on a writable disk \(EROFS in access\)/);
    const runDir = join(full, 'run');
    expectOneLine(await run('train', '--out', runDir, ...TINY), /: no space left on the device: free some space or choose another folder, then run again \(with --resume for a training run\) \(ENOSPC/);
    expect(readdirSync(join(runDir, 'checkpoints')).filter((n) => n.endsWith('.partial'))).toHaveLength(1);
    expect(spawnSync('mount', ['-o', 'remount,size=64m', full]).status).toBe(0);
    const resumed = await run('train', '--out', runDir, ...TINY, '--resume');
    expect(resumed.code, resumed.err).toBe(0);
    expect(readdirSync(join(runDir, 'checkpoints'))).toEqual(['step-000000001']);
    expect(readdirSync(runDir).filter((n) => /\.\d+$/.test(n))).toEqual([]);
  }, 120_000);

  it('names a wasm out-of-memory as such, with what to lower', () => {
    expect(errorLine(new WebAssembly.RuntimeError('table index is out of bounds'))).toMatch(/^the backend ran out of memory \(table index is out of bounds\): lower --batch or the image size/);
  });
});

// `effnet detect train|eval|predict` on tiny COCO-format folders (non-contiguous category ids, an
// image without objects, a crowd region): a run folder with model, checkpoints, results and report;
// Ctrl-C (a real SIGINT to a child process) then `--resume` gives the same losses as a run without
// a break; `eval --model` and `eval --results` agree with the run's numbers; `predict` draws boxes;
// bad input ends with one-line typed errors and exit code 2.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { StepRecord } from '@effnet/train';
import { readMetrics } from '@effnet/train/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interruptAfterSteps, runCli, startCli } from '../../test/cli-runner.js';

const DETECTOR = '{"backboneWidth":0.25,"backboneDepth":0.25,"channels":16,"bifpnLayers":1,"headLayers":1,"maxLevel":5}';
let dir: string;

const run = runCli;

/** A COCO folder of `count` 64×64 images: a bright square (category 3) or disc (category 7) on dark noise. */
async function writeSet(folder: string, count: number, seed: number): Promise<void> {
  mkdirSync(join(folder, 'images'), { recursive: true });
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const images = [];
  const annotations = [];
  for (let i = 0; i < count; i++) {
    const rgb = Buffer.alloc(64 * 64 * 3);
    for (let p = 0; p < rgb.length; p++) rgb[p] = Math.floor(rand() * 60);
    if (i !== 1) {
      const side = 16 + Math.floor(rand() * 24);
      const x0 = Math.floor(rand() * (64 - side));
      const y0 = Math.floor(rand() * (64 - side));
      const disc = i % 2 === 0;
      for (let y = y0; y < y0 + side; y++) {
        for (let x = x0; x < x0 + side; x++) {
          const r = (y + 0.5 - y0 - side / 2) ** 2 + (x + 0.5 - x0 - side / 2) ** 2;
          if (disc && r > (side / 2) ** 2) continue;
          rgb.fill(disc ? 230 : 250, 3 * (y * 64 + x), 3 * (y * 64 + x) + 3);
        }
      }
      annotations.push({ id: annotations.length + 1, image_id: 100 + i, category_id: disc ? 7 : 3, bbox: [x0, y0, side, side], area: side * side, iscrowd: 0 });
    }
    if (i === 2) annotations.push({ id: annotations.length + 1, image_id: 100 + i, category_id: 3, bbox: [0, 0, 12, 12], area: 144, iscrowd: 1 });
    await sharp(rgb, { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(join(folder, 'images', `${i}.png`));
    images.push({ id: 100 + i, file_name: `${i}.png`, width: 64, height: 64 });
  }
  writeFileSync(join(folder, 'instances.json'), JSON.stringify({ images, categories: [{ id: 7, name: 'disc' }, { id: 3, name: 'square' }], annotations }));
}

const trainArgs = (out: string): string[] => [
  'detect', 'train', '--data', join(dir, 'train'), '--val', join(dir, 'val'), '--out', out, '--size', '64', '--steps', '6', '--batch', '4', '--warmup', '2',
  '--checkpoint-every', '1', '--keep', '2', '--detector', DETECTOR, '--report-images', '3', '--backend', 'cpu', '--seed', '3',
];

const stepLosses = (out: string): number[] => readMetrics(join(out, 'metrics.jsonl')).filter((r): r is StepRecord => r.type === 'step').map((r) => r.loss);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-detect-'));
  await writeSet(join(dir, 'train'), 12, 1);
  await writeSet(join(dir, 'val'), 6, 2);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('effnet detect train', () => {
  it('writes model, checkpoints, results, report and summary; eval --model and eval --results give its numbers', async () => {
    const out = join(dir, 'run');
    const { code, out: stdout, err } = await run(...trainArgs(out), '--json');
    expect(err).toMatch(/efficientdet-custom: [\d,]+ parameters, 2 classes; 12 training images/);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { steps: number; metrics: Record<string, number> };
    expect(summary.steps).toBe(6);
    expect(Object.keys(summary.metrics)).toHaveLength(12);
    expect(stepLosses(out)).toHaveLength(6);
    expect(readdirSync(join(out, 'checkpoints'))).toHaveLength(2);
    const manifest = JSON.parse(readFileSync(join(out, 'model', 'detector.json'), 'utf8')) as { classes: string[]; categoryIds: number[] };
    // Categories sorted by id: class 0 is category 3 (square), class 1 is category 7 (disc).
    expect(manifest.classes).toEqual(['square', 'disc']);
    expect(manifest.categoryIds).toEqual([3, 7]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { image_id: number; category_id: number }[];
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.category_id)).size).toBeLessThanOrEqual(2);
    expect(results.every((r) => r.image_id >= 100 && r.image_id < 106 && [3, 7].includes(r.category_id))).toBe(true);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    for (const part of ['AP @.50', 'AR 100 dets', '>square<', '<svg', 'IoU 0.5', 'Training loss', 'data:image/png;base64']) expect(report).toContain(part);
    expect(report.match(/<figure>/g)).toHaveLength(3);
    const fromResults = await run('detect', 'eval', '--data', join(dir, 'val'), '--results', join(out, 'results.json'), '--json');
    expect(fromResults.code).toBe(0);
    expect(JSON.parse(fromResults.out).summary).toEqual(summary.metrics);
    const fromModel = await run('detect', 'eval', '--data', join(dir, 'val'), '--model', join(out, 'model'), '--backend', 'cpu', '--json', '--out', join(dir, 'eval'));
    expect(fromModel.code).toBe(0);
    expect(JSON.parse(fromModel.out).summary).toEqual(summary.metrics);
    expect(readFileSync(join(dir, 'eval', 'report.html'), 'utf8')).toContain('AP @.75');
    const table = await run('detect', 'eval', '--data', join(dir, 'val'), '--results', join(out, 'results.json'));
    expect(table.out).toMatch(/AP @\[\.50:\.95\]/);
    expect(table.out).toMatch(/AR large/);
  }, 300_000);

  it('Ctrl-C writes a checkpoint and exits with 130; --resume finishes with the losses of an unbroken run', async () => {
    const out = join(dir, 'interrupted');
    const child = startCli(trainArgs(out));
    expect(await interruptAfterSteps(child, join(out, 'metrics.jsonl'), 2)).toBe(130);
    expect(child.output()).toMatch(/Ctrl-C: stopping after this step/);
    const done = stepLosses(out).length;
    expect(done).toBeLessThan(6);
    const resumed = await run(...trainArgs(out), '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(new RegExp(`resumed from step ${done} of 6`));
    // The unbroken run of the first test, same settings: the same loss at every step (equal before
    // the break; within 1e-5 after it, as tfjs' Adam rebuilds β^t from the restored step count).
    const unbroken = stepLosses(join(dir, 'run'));
    const losses = stepLosses(out);
    expect(losses.slice(0, done)).toEqual(unbroken.slice(0, done));
    expect(losses).toHaveLength(6);
    losses.forEach((loss, i) => expect(Math.abs(loss - unbroken[i]!) / unbroken[i]!).toBeLessThan(1e-5));
    const otherData = await run(...trainArgs(out).map((a) => (a === '6' ? '7' : a)), '--resume');
    expect(otherData.code).toBe(2);
    expect(otherData.err).toMatch(/^error: resume: --steps differs from the run/);
  }, 300_000);
});

describe('effnet detect predict and bad input', () => {
  it('predict writes <name>.detections.png at the original size', async () => {
    const { code, out } = await run('detect', 'predict', join(dir, 'val', 'images', '0.png'), '--model', join(dir, 'run', 'model'), '--out', join(dir, 'drawn'), '--min-score', '0', '--nms', 'gaussian', '--backend', 'cpu', '--json');
    expect(code).toBe(0);
    const [result] = JSON.parse(out) as { output: string; objects: { box: number[]; className: string }[] }[];
    expect(result!.output).toBe(join(dir, 'drawn', '0.detections.png'));
    const meta = await sharp(result!.output).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([64, 64, 'png']);
    expect(result!.objects.length).toBeGreaterThan(0);
    for (const o of result!.objects) expect(['square', 'disc']).toContain(o.className);
  });

  it.each([
    [['detect', 'eval', '--data', 'VAL'], /^error: --model: give either --model <folder>/],
    [['detect', 'eval', '--data', 'VAL', '--model', 'NOWHERE'], /^error: model: .*detector\.json cannot be read/],
    [['detect', 'train', '--data', 'DIR', '--val', 'VAL', '--out', 'OUT', '--backend', 'cpu'], /^error: .*has no instances\*\.json at its top or in annotations\//],
    [['detect', 'train', '--data', 'VAL', '--val', 'VAL', '--out', 'OUT', '--size', '60', '--backend', 'cpu'], /^error: size: 60 is not a multiple of 32 \(the stride of P5\); pick e\.g\. 64/],
    [['detect', 'eval', '--data', 'VAL', '--results', 'BADRESULTS'], /^error: .*\[0\]: category_id 5 is not a category of the ground truth/],
  ])('%j ends with one typed line and exit code 2', async (args, message) => {
    writeFileSync(join(dir, 'bad-results.json'), JSON.stringify([{ image_id: 100, category_id: 5, bbox: [0, 0, 4, 4], score: 0.5 }]));
    const swap: Record<string, string> = { VAL: join(dir, 'val'), DIR: dir, OUT: join(dir, 'out-bad'), NOWHERE: join(dir, 'nowhere'), BADRESULTS: join(dir, 'bad-results.json') };
    const { code, err } = await run(...args.map((a) => swap[a] ?? a));
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('a --detector that is not JSON is refused by the option parser', async () => {
    const { code, err } = await run('detect', 'train', '--data', dir, '--val', dir, '--out', dir, '--detector', '{channels: 3');
    expect(code).toBe(1);
    expect(err).toMatch(/expected a JSON object of customDetectorSpec options/);
  });
});

// The docs example of docs/efficientdet.md on a tiny set: the generator writes COCO-format folders
// (read back by @effnet/train's checked reader), then the `effnet` command itself (a child process,
// as `npm run effnet` runs it) trains, evaluates with soft-NMS and predicts on them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCocoAnnotations } from '@effnet/data';
import { afterAll, describe, expect, it } from 'vitest';
import { cocoAnnotationsOf, loadCocoSamples, writeCocoDetectionSet } from './coco-format.js';
import { generateDetectionSet } from './generate.js';
import { loadPhotographs } from './photographs.js';
import { SHAPE_CLASSES } from './shapes.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'effnet-docs-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run effnet -- <args>`, without npm's banner. */
function effnet(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args], {
    cwd: ROOT, env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') }, encoding: 'utf8', timeout: 240_000,
  });
}

describe('docs example: generate, then effnet detect train | eval | predict', () => {
  it('runs end to end on 8 training and 4 validation images', async () => {
    const photographs = await loadPhotographs();
    const train = generateDetectionSet(photographs, { count: 8, size: 64, seed: 1 });
    const val = generateDetectionSet(photographs, { count: 4, size: 64, seed: 1_000_004 });
    await writeCocoDetectionSet(join(dir, 'train'), train, SHAPE_CLASSES, 64);
    await writeCocoDetectionSet(join(dir, 'val'), val, SHAPE_CLASSES, 64);
    const read = await readCocoAnnotations(join(dir, 'val', 'instances.json'));
    expect(read).toEqual(cocoAnnotationsOf(val, SHAPE_CLASSES, 64));
    expect(read.categories.map((c) => c.name)).toEqual([...SHAPE_CLASSES]);
    // Read back as training samples (the tools' `train --data`): the same pixels and boxes.
    const back = await loadCocoSamples(join(dir, 'val'), 64);
    expect(back.classes).toEqual([...SHAPE_CLASSES]);
    expect(back.samples.map((s) => s.boxes)).toEqual(val.map((s) => s.boxes));
    expect(Buffer.from(back.samples[3]!.pixels).equals(Buffer.from(val[3]!.pixels))).toBe(true);

    const trained = effnet('detect', 'train', '--data', join(dir, 'train'), '--val', join(dir, 'val'), '--out', join(dir, 'run'), '--steps', '2', '--batch', '4', '--backend', 'wasm');
    expect(trained.stderr).not.toMatch(/error/i);
    expect(trained.status).toBe(0);
    expect(trained.stdout).toMatch(/validation AP \d\.\d{3}, AP50 \d\.\d{3}, AR100 \d\.\d{3}/);
    expect(existsSync(join(dir, 'run', 'report.html'))).toBe(true);

    const evaluated = effnet('detect', 'eval', '--model', join(dir, 'run', 'model'), '--data', join(dir, 'val'), '--nms', 'gaussian', '--backend', 'wasm');
    expect(evaluated.status).toBe(0);
    expect(evaluated.stdout).toMatch(/AP @\[\.50:\.95\]/);

    const predicted = effnet('detect', 'predict', join(dir, 'val', 'images', '000000.png'), '--model', join(dir, 'run', 'model'), '--out', join(dir, 'annotated'), '--backend', 'wasm');
    expect(predicted.status).toBe(0);
    expect(readFileSync(join(dir, 'annotated', '000000.detections.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 600_000);
});

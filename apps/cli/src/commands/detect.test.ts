// `effnet detect`: a saved tiny detector run on a non-square PNG writes an annotated PNG of the
// original size, lists at most 100 boxes inside the original image, and refuses a folder that is
// not a saved detector with a one-line typed error.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EfficientDet, customDetectorSpec, detectorToSafetensors } from '@effnet/models';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../program.js';
import { detectFiles } from './detect.js';

const folder = await mkdtemp(join(tmpdir(), 'effnet-detect-'));
const spec = customDetectorSpec({ backboneWidth: 0.25, backboneDepth: 0.25, channels: 16, bifpnLayers: 1, headLayers: 1, maxLevel: 5, numClasses: 2, resolution: 64 });

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = new EfficientDet(spec, { seed: 1 });
  await writeFile(join(folder, 'detector.json'), JSON.stringify({ format: 'effnet-detector', version: 1, spec, classes: ['disc', 'block'] }));
  await writeFile(join(folder, 'weights.safetensors'), await detectorToSafetensors(model));
  model.dispose();
  const rgb = Buffer.alloc(90 * 60 * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 37) % 251;
  await sharp(rgb, { raw: { width: 90, height: 60, channels: 3 } }).png().toFile(join(folder, 'photo.png'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('effnet detect', () => {
  it('writes <name>.detections.png at the original size with boxes in original pixels', async () => {
    const [result] = await detectFiles(folder, [join(folder, 'photo.png')], { out: join(folder, 'out'), minScore: 0 });
    expect(result!.output).toBe(join(folder, 'out', 'photo.detections.png'));
    const meta = await sharp(result!.output).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([90, 60, 'png']);
    expect(result!.objects.length).toBeGreaterThan(0);
    expect(result!.objects.length).toBeLessThanOrEqual(100);
    for (const o of result!.objects) {
      expect(o.box[2]).toBeLessThanOrEqual(60 + 1e-3);
      expect(o.box[3]).toBeLessThanOrEqual(90 + 1e-3);
      expect(['disc', 'block']).toContain(o.className);
    }
  });

  it('a folder without detector.json ends with a one-line typed error and exit code 2', async () => {
    let err = '';
    const code = await main(['node', 'effnet', 'detect', join(folder, 'photo.png'), '--model', join(folder, 'missing'), '--backend', 'cpu'], { out: () => undefined, err: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toMatch(/^error: model: .*detector\.json cannot be read/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

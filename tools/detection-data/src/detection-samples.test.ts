// Generated samples written in the effnet-detection format read back as the same samples.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDetectionSet } from '@effnet/data';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDetectionSamples } from './detection-samples.js';
import { generateDetectionSet } from './generate.js';
import { loadPhotographs } from './photographs.js';
import { SHAPE_CLASSES } from './shapes.js';

const folder = await mkdtemp(join(tmpdir(), 'effnet-detection-samples-'));
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('loadDetectionSamples', () => {
  it('gives the written samples back, and refuses images of another size', async () => {
    const samples = generateDetectionSet(await loadPhotographs(200), { count: 3, size: 64, seed: 9 });
    await writeDetectionSet(folder, samples, SHAPE_CLASSES, 64);
    const loaded = await loadDetectionSamples(folder, 64);
    expect(loaded.classes).toEqual([...SHAPE_CLASSES]);
    expect(loaded.samples.map((s) => s.boxes)).toEqual(samples.map((s) => s.boxes));
    expect(Buffer.compare(Buffer.from(loaded.samples[2]!.pixels), Buffer.from(samples[2]!.pixels))).toBe(0);
    await expect(loadDetectionSamples(folder, 96)).rejects.toThrow(/training takes 96×96 images/);
  });
});

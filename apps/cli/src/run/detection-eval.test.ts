// @effnet/data's COCO readers feeding @effnet/models' evaluator reproduce pycocotools: the seeded
// sets of tools/fixtures/coco_eval_reference.py, read as files are read (instances and results
// formats, checked), give COCOeval's twelve numbers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCocoAnnotations, parseCocoResults } from '@effnet/data';
import { evaluateCocoDetections } from '@effnet/models';
import { describe, expect, it } from 'vitest';

describe('COCO files read, then evaluated', () => {
  it('the pycocotools fixture sets give pycocotools’ twelve numbers (within 1e-4)', async () => {
    const path = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'models', 'test', 'fixtures', 'coco-eval.json');
    const fixture = JSON.parse(await readFile(path, 'utf8')) as { sets: { groundTruth: unknown; detections: unknown; stats: number[] }[] };
    expect(fixture.sets.length).toBeGreaterThanOrEqual(20);
    for (const entry of fixture.sets) {
      const set = parseCocoAnnotations(entry.groundTruth, 'fixture');
      const detections = parseCocoResults(entry.detections, 'fixture', set);
      const { stats } = evaluateCocoDetections({ imageIds: set.images.map((i) => i.id), categoryIds: set.categories.map((c) => c.id), groundTruth: set.annotations, detections });
      stats.forEach((v, i) => expect(Math.abs(v - entry.stats[i]!)).toBeLessThan(1e-4));
    }
  });
});

// Test helper: the three 48×48 photographs that tools/fixtures/pillow_reference.py cut for the
// Pillow parity tests of @effnet/schedules (packages/schedules/fixtures/pillow: manifest.json
// gives each input's shape and byte offset in the gzipped blob data.bin.gz), as one NHWC batch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BatchShape } from '../src/augment-workload.js';

const DIR = join(import.meta.dirname, '..', '..', '..', 'packages', 'schedules', 'fixtures', 'pillow');

/** The 48×48 RGB input photographs of the Pillow fixtures as a [3, 48, 48, 3] batch of bytes. */
export function pillowPhotos(): { bytes: number[]; shape: BatchShape } {
  const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { images: { shape: [number, number, number]; offset: number }[] };
  const blob = gunzipSync(readFileSync(join(DIR, 'data.bin.gz')));
  const square = manifest.images.filter((image) => image.shape[0] === 48 && image.shape[1] === 48 && image.shape[2] === 3);
  if (square.length === 0) throw new Error(`no 48×48 RGB input in ${join(DIR, 'manifest.json')}; rerun tools/fixtures/pillow_reference.py`);
  const size = 48 * 48 * 3;
  const bytes = square.flatMap((image) => Array.from(blob.subarray(image.offset, image.offset + size)));
  return { bytes, shape: [square.length, 48, 48, 3] };
}

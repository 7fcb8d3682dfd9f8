// Test helper: reads the Pillow references written by tools/fixtures/pillow_reference.py (the
// inputs and every output as raw uint8 HWC bytes in one gzip file, described by manifest.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One operation applied by Pillow to one photograph. */
export interface PillowCase {
  /** Operation name, as exported by @effnet/schedules. */
  op: string;
  /** Index of the input photograph. */
  image: number;
  /** The operation's parameter, null when it takes none. */
  param: number | null;
  /** Pillow's output bytes (H·W·3). */
  expected: Uint8Array;
}

/** The photographs, their shape, the fill value and every case. */
export interface PillowFixtures {
  /** Pillow version that wrote them. */
  pillow: string;
  /** [H, W, C]. */
  shape: [number, number, number];
  /** Fill value of the geometric operations. */
  fill: number;
  /** Name and raw bytes of each input photograph. */
  images: { name: string; data: Uint8Array }[];
  /** Every reference output. */
  cases: PillowCase[];
}

/** Loads the committed fixtures. */
export function loadPillowFixtures(): PillowFixtures {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'pillow');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    pillow: string;
    shape: [number, number, number];
    fill: number;
    images: { name: string; offset: number }[];
    cases: { op: string; image: number; param: number | null; offset: number }[];
  };
  const blob = new Uint8Array(gunzipSync(readFileSync(join(dir, 'data.bin.gz'))));
  const size = manifest.shape[0] * manifest.shape[1] * manifest.shape[2];
  const slice = (offset: number) => blob.subarray(offset, offset + size);
  return {
    pillow: manifest.pillow,
    shape: manifest.shape,
    fill: manifest.fill,
    images: manifest.images.map((image) => ({ name: image.name, data: slice(image.offset) })),
    cases: manifest.cases.map((c) => ({ op: c.op, image: c.image, param: c.param, expected: slice(c.offset) })),
  };
}

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
  /** Pillow's output bytes (H·W·3 of its input). */
  expected: Uint8Array;
}

/** The photographs, the fill value and every case. */
export interface PillowFixtures {
  /** Pillow version that wrote them. */
  pillow: string;
  /** Fill value of the geometric operations. */
  fill: number;
  /** Name, how it was cut, shape [H, W, C] and raw bytes of each input photograph. */
  images: { name: string; cut: string; shape: [number, number, number]; data: Uint8Array }[];
  /** Every reference output. */
  cases: PillowCase[];
}

/** The 48×48 inputs (one per photograph) as one [3, 48, 48, 3] batch of bytes. */
export function squarePhotos(fixtures: PillowFixtures): { data: Uint8Array; shape: [number, number, number, number] } {
  const square = fixtures.images.filter((i) => i.shape[0] === 48 && i.shape[1] === 48);
  return { data: Uint8Array.from(square.flatMap((i) => [...i.data])), shape: [square.length, 48, 48, 3] };
}

/** Loads the committed fixtures. */
export function loadPillowFixtures(): PillowFixtures {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'pillow');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    pillow: string;
    fill: number;
    images: { name: string; cut: string; shape: [number, number, number]; offset: number }[];
    cases: { op: string; image: number; param: number | null; offset: number }[];
  };
  const blob = new Uint8Array(gunzipSync(readFileSync(join(dir, 'data.bin.gz'))));
  const bytes = (shape: [number, number, number]) => shape[0] * shape[1] * shape[2];
  const slice = (offset: number, shape: [number, number, number]) => blob.subarray(offset, offset + bytes(shape));
  return {
    pillow: manifest.pillow,
    fill: manifest.fill,
    images: manifest.images.map((image) => ({ name: image.name, cut: image.cut, shape: image.shape, data: slice(image.offset, image.shape) })),
    cases: manifest.cases.map((c) => ({ op: c.op, image: c.image, param: c.param, expected: slice(c.offset, manifest.images[c.image]!.shape) })),
  };
}

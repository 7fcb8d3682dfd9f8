// `effnet detect <images…>`: runs a saved EfficientDet (a folder with detector.json and
// weights.safetensors, as tools/detection-data's `train --save` writes it) on PNG, JPEG or WebP
// files, prints the boxes and writes each image with its boxes drawn to `<out>/<name>.detections.png`
// (atomically: temporary file, then rename). Images are stretched to the detector's input size;
// boxes are mapped back to the original pixels.
import { Command } from 'commander';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { EfficientDet, EffnetModelError, loadDetectorSafetensors, parseDetectorManifest, type Detection } from '@effnet/models';
import sharp from 'sharp';
import writeFileAtomic from 'write-file-atomic';
import type { Io } from '../io.js';
import { printJson, renderTable } from '../output.js';
import '../register-backends.js';

/** One detection in original image pixels, with its class name. */
export interface DetectedObject extends Detection {
  /** Class name from detector.json. */
  className: string;
}

/** Colours of the drawn boxes, by class id (cycled). */
const COLOURS: [number, number, number][] = [[255, 59, 48], [52, 199, 89], [0, 122, 255], [255, 204, 0], [175, 82, 222], [255, 149, 0]];

function drawBox(rgb: Uint8Array, width: number, height: number, [y0, x0, y1, x1]: readonly number[], colour: readonly number[], thickness = 2): void {
  const top = Math.max(0, Math.round(y0!));
  const left = Math.max(0, Math.round(x0!));
  const bottom = Math.min(height - 1, Math.round(y1!) - 1);
  const right = Math.min(width - 1, Math.round(x1!) - 1);
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const edge = y - top < thickness || bottom - y < thickness || x - left < thickness || right - x < thickness;
      if (!edge) continue;
      const p = 3 * (y * width + x);
      rgb[p] = colour[0]!;
      rgb[p + 1] = colour[1]!;
      rgb[p + 2] = colour[2]!;
    }
  }
}

/**
 * Detects objects in image files and writes annotated PNGs.
 *
 * @param modelFolder - Folder with detector.json and weights.safetensors.
 * @param files - Image files.
 * @param options - Output folder and minimum score.
 * @returns Per file, its detections in original pixels and the PNG written.
 * @throws EffnetWeightsError for a malformed folder; EffnetModelError for an unreadable image.
 */
export async function detectFiles(modelFolder: string, files: string[], options: { out: string; minScore: number }): Promise<{ file: string; output: string; objects: DetectedObject[] }[]> {
  let manifestText: string;
  try {
    manifestText = await readFile(join(modelFolder, 'detector.json'), 'utf8');
  } catch {
    throw new EffnetModelError('model', `${join(modelFolder, 'detector.json')} cannot be read; pass a folder written by 'tools/detection-data train --save'`);
  }
  const manifest = parseDetectorManifest(JSON.parse(manifestText));
  const model = new EfficientDet(manifest.spec);
  try {
    loadDetectorSafetensors(model, new Uint8Array(await readFile(join(modelFolder, 'weights.safetensors'))));
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
        [detections = []] = await model.detect(pixels, { scoreThreshold: options.minScore });
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
      for (const o of objects) drawBox(rgb, width, height, o.box, COLOURS[o.classId % COLOURS.length]!, thickness);
      const output = join(options.out, `${basename(file, extname(file))}.detections.png`);
      const png = await sharp(Buffer.from(rgb), { raw: { width, height, channels: 3 } }).png().toBuffer();
      await writeFileAtomic(output, png);
      results.push({ file, output, objects });
    }
    return results;
  } finally {
    model.dispose();
  }
}

/** Builds the `detect` command. */
export function detectCommand(io: Io): Command {
  return new Command('detect')
    .description('detect objects in image files with a saved EfficientDet; writes <out>/<name>.detections.png with the boxes drawn')
    .argument('<images...>', 'image files (PNG, JPEG, WebP)')
    .requiredOption('--model <folder>', 'folder with detector.json and weights.safetensors')
    .option('--out <folder>', 'where the annotated PNGs go', '.')
    .option('--min-score <p>', 'lowest score drawn and listed', (v) => Number(v), 0.3)
    .option('--backend <name>', 'backend (see effnet backends), or auto', 'auto')
    .option('--json', 'print JSON instead of a table')
    .action(async (files: string[], options: { model: string; out: string; minScore: number; backend: string; json?: boolean }) => {
      if (!(options.minScore >= 0 && options.minScore < 1)) throw new EffnetModelError('--min-score', `must be a number in [0, 1), got ${options.minScore}`);
      await useBackend(options.backend);
      const results = await detectFiles(options.model, files, { out: options.out, minScore: options.minScore });
      if (options.json) return printJson(results, io.out);
      const rows = results.flatMap(({ file, output, objects }) =>
        objects.length === 0
          ? [[file, '(none)', '', '', output]]
          : objects.map((o) => [file, o.className, o.score.toFixed(3), o.box.map((v) => v.toFixed(0)).join(', '), output]),
      );
      io.out(`${renderTable(['image', 'class', 'score', 'box (yMin, xMin, yMax, xMax)', 'drawn to'], rows, ['left', 'left', 'right', 'left', 'left'])}\n`);
    });
}

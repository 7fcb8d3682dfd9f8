// A saved detector folder, as `effnet detect train` writes it and `detect eval|predict` read it:
// detector.json (format, spec, class names, COCO category ids) and weights.safetensors, each
// written atomically.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DETECTOR_FORMAT, DETECTOR_FORMAT_VERSION, EfficientDet, EffnetModelError, detectorToSafetensors, loadDetectorSafetensors, parseDetectorManifest, type DetectorManifest } from '@effnet/models';
import writeFileAtomic from 'write-file-atomic';

/** Writes `model` with its class names (and COCO category ids) to `folder`. */
export async function saveDetector(folder: string, model: EfficientDet, classes: readonly string[], categoryIds?: readonly number[]): Promise<void> {
  await mkdir(folder, { recursive: true });
  const manifest: DetectorManifest = { format: DETECTOR_FORMAT, version: DETECTOR_FORMAT_VERSION, spec: model.spec, classes: [...classes], ...(categoryIds ? { categoryIds: [...categoryIds] } : {}) };
  const weights = await detectorToSafetensors(model);
  await writeFileAtomic(join(folder, 'weights.safetensors'), Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength));
  await writeFileAtomic(join(folder, 'detector.json'), `${JSON.stringify(manifest)}\n`);
}

/**
 * Reads a detector folder and builds the detector (the caller disposes it).
 *
 * @throws EffnetModelError when detector.json cannot be read; EffnetWeightsError when it or the weights are malformed.
 */
export async function loadDetector(folder: string): Promise<{ model: EfficientDet; manifest: DetectorManifest }> {
  let text: string;
  try {
    text = await readFile(join(folder, 'detector.json'), 'utf8');
  } catch {
    throw new EffnetModelError('model', `${join(folder, 'detector.json')} cannot be read; pass a folder written by 'effnet detect train' (its <out>/model)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EffnetModelError('model', `${join(folder, 'detector.json')} is not JSON (${(error as Error).message})`);
  }
  const manifest = parseDetectorManifest(parsed);
  const model = new EfficientDet(manifest.spec);
  try {
    loadDetectorSafetensors(model, new Uint8Array(await readFile(join(folder, 'weights.safetensors'))));
  } catch (error) {
    model.dispose();
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EffnetModelError('model', `${join(folder, 'weights.safetensors')} is missing`);
    throw error;
  }
  return { model, manifest };
}

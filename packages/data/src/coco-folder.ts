// A COCO-format folder as a DetectionDataset: one instances*.json (at the top of the folder or in
// annotations/, as COCO's download has it) and the images its file_names name, looked up in
// images/, in the folder named after the split (instances_val2017.json → val2017/) or beside the
// JSON. Every image is stretched to one square size for the detector and its boxes scaled with it;
// crowd regions are left out of the training boxes (evaluation reads them from `annotations`).
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { EffnetDataError } from '@effnet/train';
import { readCocoAnnotations, type CocoAnnotations } from './coco-annotations.js';
import { DetectionDataset } from './detection.js';
import type { DetectionBox } from './detection-format.js';

/** A COCO folder read for a detector. */
export interface CocoFolder {
  /** The images at `size`×`size` with their non-crowd boxes; class ids index `annotations.categories`. */
  dataset: DetectionDataset;
  /** The checked annotations, in the original pixels. */
  annotations: CocoAnnotations;
  /** The instances file read. */
  annotationsFile: string;
  /** Per image (dataset order = `annotations.images` order), `[sy, sx]` from the dataset's pixels to the original's. */
  scales: [number, number][];
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** The instances file of a folder: the only instances*.json at its top or in annotations/. */
export async function findInstancesFile(folder: string): Promise<string> {
  if (!(await isDirectory(folder))) throw new EffnetDataError(folder, 'is not a folder; pass a COCO-format folder (instances*.json and its images)');
  const found: string[] = [];
  for (const dir of [folder, join(folder, 'annotations')]) {
    if (!(await isDirectory(dir))) continue;
    for (const name of (await readdir(dir)).sort()) if (/^instances.*\.json$/.test(name)) found.push(join(dir, name));
  }
  if (found.length === 0) throw new EffnetDataError(folder, 'has no instances*.json at its top or in annotations/; write one in COCO format (effnet detect reads COCO folders)');
  if (found.length > 1) throw new EffnetDataError(folder, `has ${found.length} instances files (${found.map((f) => basename(f)).join(', ')}); keep one per folder`);
  return found[0]!;
}

/** The folder the images of `annotationsFile` lie in. */
async function imageRoot(folder: string, annotationsFile: string, firstFile: string | undefined): Promise<string> {
  const split = /^instances_?(.*)\.json$/.exec(basename(annotationsFile))?.[1];
  const candidates = [join(folder, 'images'), ...(split ? [join(folder, split)] : []), folder];
  if (firstFile === undefined) return candidates[0]!;
  for (const root of candidates) if (await stat(join(root, firstFile)).then(() => true, () => false)) return root;
  throw new EffnetDataError(folder, `cannot find image ${firstFile} in ${candidates.map((c) => `${c}/`).join(', ')}`);
}

/**
 * Reads a COCO-format folder, decoding and resizing every image.
 *
 * @param folder - The folder.
 * @param size - The square side images are stretched to (the detector's input size).
 * @returns The dataset, the annotations and the per-image scales back to original pixels.
 * @throws EffnetDataError for a missing or malformed instances file, a missing or undecodable image, or one whose size differs from its entry.
 */
export async function cocoFolder(folder: string, size: number): Promise<CocoFolder> {
  if (!Number.isInteger(size) || size < 8) throw new EffnetDataError(folder, `image size must be an integer ≥ 8, got ${size}`);
  const annotationsFile = await findInstancesFile(folder);
  const annotations = await readCocoAnnotations(annotationsFile);
  if (annotations.images.length === 0) throw new EffnetDataError(annotationsFile, 'images: lists no image');
  const root = await imageRoot(folder, annotationsFile, annotations.images[0]?.fileName);
  const classOf = new Map(annotations.categories.map((c, i) => [c.id, i]));
  const byImage = new Map<number, DetectionBox[]>(annotations.images.map((i) => [i.id, []]));
  const scales: [number, number][] = annotations.images.map((i) => [i.height / size, i.width / size]);
  const scaleOf = new Map(annotations.images.map((i, k) => [i.id, scales[k]!]));
  for (const a of annotations.annotations) {
    if (a.iscrowd) continue;
    const [sy, sx] = scaleOf.get(a.imageId)!;
    const clip = (v: number): number => Math.min(size, Math.max(0, v));
    const box: DetectionBox['box'] = [clip(a.bbox[1] / sy), clip(a.bbox[0] / sx), clip((a.bbox[1] + a.bbox[3]) / sy), clip((a.bbox[0] + a.bbox[2]) / sx)];
    // Boxes thinner than a hundredth of a pixel after resizing carry no signal for the anchors.
    if (box[2] - box[0] < 0.01 || box[3] - box[1] < 0.01) continue;
    byImage.get(a.imageId)!.push({ box, classId: classOf.get(a.categoryId)! });
  }
  const images: Uint8Array[] = [];
  for (const image of annotations.images) {
    const path = join(root, image.fileName);
    let decoded: { data: Buffer; info: sharp.OutputInfo };
    try {
      const input = sharp(path, { failOn: 'error' });
      const meta = await input.metadata();
      if (meta.width !== image.width || meta.height !== image.height) {
        throw new EffnetDataError(path, `is ${meta.width}×${meta.height}, ${basename(annotationsFile)} says ${image.width}×${image.height} (image id ${image.id})`);
      }
      decoded = await input.removeAlpha().toColourspace('srgb').resize(size, size, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    } catch (error) {
      if (error instanceof EffnetDataError) throw error;
      throw new EffnetDataError(path, `cannot decode image id ${image.id}: ${(error as Error).message}`);
    }
    images.push(new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength));
  }
  const dataset = new DetectionDataset({
    name: folder, images, boxes: annotations.images.map((i) => byImage.get(i.id)!), imageShape: [size, size, 3], classNames: annotations.categories.map((c) => c.name),
  });
  return { dataset, annotations, annotationsFile, scales };
}

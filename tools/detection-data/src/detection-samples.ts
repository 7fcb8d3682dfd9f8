// Reads an effnet-detection folder (the format of @effnet/data) as the generator's samples of one
// square size: what `trainDetector` and the `train` command take.
import { readDetectionSet } from '@effnet/data';
import { EffnetDataError } from '@effnet/train';
import type { DetectionSample } from './generate.js';

/**
 * Reads a data set folder as training samples of one square size.
 *
 * @param folder - An effnet-detection folder.
 * @param size - The side every image must have.
 * @returns The class names and the samples, in file order.
 * @throws EffnetDataError for malformed annotations or an image of another size.
 */
export async function loadDetectionSamples(folder: string, size: number): Promise<{ classes: string[]; samples: DetectionSample[] }> {
  const { annotations, pixels } = await readDetectionSet(folder);
  const samples = annotations.images.map((image, i): DetectionSample => {
    if (image.height !== size || image.width !== size) {
      throw new EffnetDataError(`images[${i}]`, `${image.file} is ${image.width}×${image.height}; training takes ${size}×${size} images (pass --size, or resize the set)`);
    }
    return { pixels: pixels[i]!, boxes: image.boxes };
  });
  return { classes: annotations.classes, samples };
}

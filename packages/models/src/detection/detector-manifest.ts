// The manifest of a saved detector folder (`detector.json` beside `weights.safetensors`): format
// name and version, the DetectorSpec the weights belong to, the class names and, for detectors trained
// on COCO-format data, the category id of each class. Pure data, so
// Node tools and browsers read and write it the same way.
import type { DetectorSpec } from '@effnet/scaling';
import { EffnetWeightsError } from '../errors.js';

/** Format name of `detector.json`. */
export const DETECTOR_FORMAT = 'effnet-detector';
/** Format version written and read. */
export const DETECTOR_FORMAT_VERSION = 1;

/** Contents of `detector.json`. */
export interface DetectorManifest {
  /** Always {@link DETECTOR_FORMAT}. */
  format: typeof DETECTOR_FORMAT;
  /** Always {@link DETECTOR_FORMAT_VERSION}. */
  version: typeof DETECTOR_FORMAT_VERSION;
  /** The detector the weights belong to. */
  spec: DetectorSpec;
  /** Class names by id (`spec.numClasses` of them). */
  classes: string[];
  /** COCO category id of each class, when trained on a COCO set (class `c` is category `categoryIds[c]`). */
  categoryIds?: number[];
}

/**
 * Checks a parsed `detector.json`.
 *
 * @throws EffnetWeightsError naming what is wrong.
 */
export function parseDetectorManifest(value: unknown): DetectorManifest {
  const m = value as Partial<DetectorManifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== DETECTOR_FORMAT || m.version !== DETECTOR_FORMAT_VERSION) {
    throw new EffnetWeightsError('detector.json', `expected format '${DETECTOR_FORMAT}' version ${DETECTOR_FORMAT_VERSION}; this is not a saved effnet detector`);
  }
  if (typeof m.spec !== 'object' || m.spec === null || m.spec.family !== 'efficientdet') throw new EffnetWeightsError('detector.json', "spec must be a DetectorSpec (family 'efficientdet')");
  if (!Array.isArray(m.classes) || m.classes.length !== m.spec.numClasses || m.classes.some((c) => typeof c !== 'string')) {
    throw new EffnetWeightsError('detector.json', `classes must list ${m.spec.numClasses} names (spec.numClasses)`);
  }
  if (m.categoryIds !== undefined && (!Array.isArray(m.categoryIds) || m.categoryIds.length !== m.classes.length || m.categoryIds.some((c) => !Number.isSafeInteger(c)))) {
    throw new EffnetWeightsError('detector.json', `categoryIds must list ${m.classes.length} integer COCO category ids, one per class`);
  }
  return m as DetectorManifest;
}

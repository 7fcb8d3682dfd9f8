// Anchor boxes of EfficientDet (EfficientDet 2020, section 3.3; google/automl anchors.py): on every
// pyramid level, at the centre of every cell, one box per (octave scale, aspect ratio) pair, of size
// anchorScale · stride · scale, stretched by the (w, h) ratio multipliers. Boxes are
// [yMin, xMin, yMax, xMax] in input pixels, ordered level → row → column → scale → ratio, which is
// the order the class and box heads' outputs are flattened in.
import type { DetectorSpec } from '@effnet/scaling';
import { EffnetModelError } from '../errors.js';

/** What anchor generation needs (a subset of a DetectorSpec). */
export interface AnchorConfig {
  /** Lowest pyramid level (3 = stride 8). */
  minLevel: number;
  /** Highest pyramid level. */
  maxLevel: number;
  /** Base anchor size in strides (4 in EfficientDet D0-D6). */
  anchorScale: number;
  /** Octave scales per location, e.g. [1, 2^(1/3), 2^(2/3)]. */
  scales: readonly number[];
  /** (w, h) multipliers per location, e.g. [[1, 1], [1.4, 0.7], [0.7, 1.4]]. */
  aspectRatios: readonly (readonly [number, number])[];
}

/** The anchors of one input size. */
export interface Anchors {
  /** `[yMin, xMin, yMax, xMax]` per anchor, flat (length 4 · count). */
  boxes: Float32Array;
  /** Number of anchors. */
  count: number;
  /** Input height in pixels the anchors were made for. */
  height: number;
  /** Input width in pixels. */
  width: number;
  /** Anchors per location (scales × ratios). */
  perLocation: number;
  /** Feature-map size of each level, lowest level first. */
  levelSizes: [number, number][];
  /** Index of each level's first anchor, plus the total at the end. */
  levelOffsets: number[];
}

/**
 * Feature-map size of every level for an input of `height`×`width`: each level halves the previous
 * one rounding up, as stride-2 convolutions and pools with 'same' padding do.
 *
 * @param height - Input height in pixels.
 * @param width - Input width in pixels.
 * @param minLevel - Lowest level.
 * @param maxLevel - Highest level.
 * @returns `[height, width]` per level, lowest first.
 */
export function featureSizes(height: number, width: number, minLevel: number, maxLevel: number): [number, number][] {
  const sizes: [number, number][] = [];
  let h = height;
  let w = width;
  for (let level = 1; level <= maxLevel; level++) {
    h = Math.ceil(h / 2);
    w = Math.ceil(w / 2);
    if (level >= minLevel) sizes.push([h, w]);
  }
  return sizes;
}

/** The anchor settings of a detector spec. */
export function anchorConfig(spec: DetectorSpec): AnchorConfig {
  return { minLevel: spec.minLevel, maxLevel: spec.maxLevel, ...spec.anchors };
}

/**
 * Generates the anchors of an input of `height`×`width` pixels.
 *
 * @param config - Levels, anchor scale, octave scales and aspect ratios.
 * @param height - Input height in pixels.
 * @param width - Input width in pixels (default: `height`).
 * @returns The anchors, level by level.
 * @throws EffnetModelError when a setting is not a positive number or the levels are out of order.
 */
export function generateAnchors(config: AnchorConfig, height: number, width = height): Anchors {
  const { minLevel, maxLevel, anchorScale, scales, aspectRatios } = config;
  if (!Number.isInteger(minLevel) || !Number.isInteger(maxLevel) || minLevel < 1 || maxLevel < minLevel) {
    throw new EffnetModelError('anchors', `levels must be integers with 1 ≤ minLevel ≤ maxLevel, got ${minLevel}…${maxLevel}`);
  }
  if (!(anchorScale > 0) || scales.length === 0 || aspectRatios.length === 0 || scales.some((s) => !(s > 0)) || aspectRatios.some(([w, h]) => !(w > 0 && h > 0))) {
    throw new EffnetModelError('anchors', 'anchorScale, every scale and every aspect ratio must be positive, with at least one scale and one ratio');
  }
  if (!(height > 0 && width > 0)) throw new EffnetModelError('anchors', `the input size must be positive, got ${height}×${width}`);
  const levelSizes = featureSizes(height, width, minLevel, maxLevel);
  const perLocation = scales.length * aspectRatios.length;
  const levelOffsets = [0];
  for (const [h, w] of levelSizes) levelOffsets.push(levelOffsets.at(-1)! + h * w * perLocation);
  const count = levelOffsets.at(-1)!;
  const boxes = new Float32Array(count * 4);
  let k = 0;
  levelSizes.forEach(([rows, cols], i) => {
    const stride = 2 ** (minLevel + i);
    for (let r = 0; r < rows; r++) {
      const cy = (r + 0.5) * stride;
      for (let c = 0; c < cols; c++) {
        const cx = (c + 0.5) * stride;
        for (const scale of scales) {
          const base = anchorScale * stride * scale;
          for (const [rw, rh] of aspectRatios) {
            const halfW = (base * rw) / 2;
            const halfH = (base * rh) / 2;
            boxes[k++] = cy - halfH;
            boxes[k++] = cx - halfW;
            boxes[k++] = cy + halfH;
            boxes[k++] = cx + halfW;
          }
        }
      }
    }
  });
  return { boxes, count, height, width, perLocation, levelSizes, levelOffsets };
}

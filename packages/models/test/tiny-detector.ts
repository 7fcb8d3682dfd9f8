// Test helper: the smallest useful EfficientDet (a quarter-width, quarter-depth B0 backbone,
// 16-channel BiFPN of one layer on P3-P5, one head layer) for fast unit tests.
import type { DetectorSpec } from '@effnet/scaling';
import { customDetectorSpec } from '../src/detection/custom-detector.js';

/** A detector that runs a 64×64 batch in milliseconds. */
export function tinyDetectorSpec(options: { numClasses: number; resolution: number }): DetectorSpec {
  return customDetectorSpec({
    backboneWidth: 0.25, backboneDepth: 0.25, channels: 16, bifpnLayers: 1, headLayers: 1, maxLevel: 5, ...options, name: 'tiny-detector',
  });
}

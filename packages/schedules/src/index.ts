// @effnet/schedules: the public surface.
export { progressiveStages, stageAt, toStepStages } from './progressive.js';
export type { ProgressiveOptions, ProgressivePlan, ProgressiveStage, StageSettings, StepStage } from './progressive.js';
export { paperPlan, PAPER_PLANS, type PlanEnds } from './paper-plans.js';
export { formatPlanTable } from './plan-table.js';
export { constantLr, cosineLr, exponentialLr, stepLr, warmup, sequenceLr, type LrSchedule } from './lr-schedules.js';
export { EffnetScheduleError } from './errors.js';
export { identity, invert, posterize, solarize, autocontrast, equalize, color, contrast, brightness, sharpness } from './pixel-ops.js';
export { affineTransform, rotate, shearX, shearY, translateX, translateY, type AffineMatrix, type AffineOptions } from './affine-ops.js';
export {
  randAugment, randAugmentPlan, randAugmentParameter, applyRandAugmentOp, RAND_AUGMENT_OPS,
  type Augmentation, type PixelRange, type RandAugmentOp, type RandAugmentOptions, type RandAugmentStep,
} from './rand-augment.js';
export { mixup, cutmix, mixLambda, smoothLabels, type CutMixBatch, type MixedBatch, type PasteBox, type Mixer, type MixOptions } from './mixing.js';
export { resizeImages, resizeMatrix, randomFlip, randomResizedCrop, type CropBox, type FlipOptions, type RandomResizedCropOptions, type ResizeOptions } from './crop-flip-resize.js';
export { ema, type EmaOptions, type EmaWeights, type WeightEma } from './ema.js';
export { SeededRandom } from './seeded-random.js';

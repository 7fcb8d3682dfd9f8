// @effnet/detection-data: the generator, the data set format and the training run.
export { generateDetectionSet, type DetectionSample, type GenerateOptions } from './generate.js';
export { loadPhotographs, PHOTOGRAPH_PACKAGES, type Photograph } from './photographs.js';
export { SHAPE_CLASSES, drawShape, saturatedColour, type ShapeClass } from './shapes.js';
export { writeDetectionSet, readDetectionSet, loadDetectionSamples, checkAnnotations, DetectionFormatError, DETECTION_FORMAT, DETECTION_FORMAT_VERSION } from './detection-format.js';
export type { DetectionAnnotations, DetectionImageEntry, LoadedDetectionSet } from './detection-format.js';
export { trainDetector, trainingDetectorSpec, type TrainDetectorOptions, type TrainDetectorReport } from './train-detector.js';
export { SeededRng } from './seeded-rng.js';

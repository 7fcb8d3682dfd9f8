// @effnet/detection-data: the generator and the training run (the data set format is @effnet/data's).
export { generateDetectionSet, type DetectionSample, type GenerateOptions } from './generate.js';
export { loadPhotographs, PHOTOGRAPH_PACKAGES, type Photograph } from './photographs.js';
export { SHAPE_CLASSES, drawShape, saturatedColour, type ShapeClass } from './shapes.js';
export { loadDetectionSamples } from './detection-samples.js';
export { writeCocoDetectionSet, cocoAnnotationsOf, loadCocoSamples } from './coco-format.js';
export { trainDetector, trainingDetectorSpec, type TrainDetectorOptions, type TrainDetectorReport } from './train-detector.js';

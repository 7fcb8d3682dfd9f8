// EfficientDet in @effnet/models: anchors, box coding, matching, losses, NMS, post-processing and
// COCO-style evaluation, the shared heads and the detector.
export { generateAnchors, featureSizes, anchorConfig, type AnchorConfig, type Anchors } from './anchors.js';
export { iou, iouAt, iouMatrix, boxArea, encodeBoxes, decodeBoxes, decodeBoxesTensor, type Box } from './box-coding.js';
export { matchAnchors, NEGATIVE, IGNORED, type MatchOptions, type AnchorTargets } from './anchor-matching.js';
export { focalLoss, huberLoss, detectionLoss, type DetectionLossOptions, type DetectionLoss } from './losses.js';
export { nonMaxSuppression, classWiseNms, type NmsOptions } from './nms.js';
export { postprocessDetections, type Detection, type PostprocessOptions } from './postprocess.js';
export { evaluateCoco, COCO_IOU_THRESHOLDS, COCO_RECALL_POINTS, type ScoredBox, type LabelledBox, type CocoMetrics } from './coco-eval.js';
export { HeadNet, type HeadNetOptions } from './head-net.js';
export { EfficientDet, efficientdet, type EfficientDetOptions, type DetectorForwardOptions, type DetectorOutputs } from './efficientdet.js';
export { customDetectorSpec, type CustomDetectorOptions } from './custom-detector.js';
export { detectorToSafetensors, loadDetectorSafetensors } from './detector-weights.js';
export { DETECTOR_FORMAT, DETECTOR_FORMAT_VERSION, parseDetectorManifest, type DetectorManifest } from './detector-manifest.js';

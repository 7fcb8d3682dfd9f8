// EfficientDet in @effnet/models: anchors, box coding, matching, losses, NMS, post-processing and
// COCO-style evaluation, the shared heads and the detector.
export { generateAnchors, featureSizes, anchorConfig, type AnchorConfig, type Anchors } from './anchors.js';
export { iou, iouAt, iouMatrix, boxArea, encodeBoxes, decodeBoxes, decodeBoxesTensor, type Box } from './box-coding.js';
export { matchAnchors, NEGATIVE, IGNORED, type MatchOptions, type AnchorTargets } from './anchor-matching.js';
export { focalLoss, huberLoss, detectionLoss, type DetectionLossOptions, type DetectionLoss } from './losses.js';
export { nonMaxSuppression, classWiseNms, type NmsOptions } from './nms.js';
export { softNms, classWiseSoftNms, type SoftNmsOptions, type SoftNmsResult } from './soft-nms.js';
export { postprocessDetections, type Detection, type PostprocessOptions } from './postprocess.js';
export {
  evaluateCoco, evaluateCocoDetections, precisionRecallCurve, cocoIou, COCO_IOU_THRESHOLDS, COCO_RECALL_POINTS, COCO_AREA_RANGES, COCO_SUMMARY_KEYS,
  type ScoredBox, type LabelledBox, type CocoMetrics, type CocoEvalInput, type CocoEvaluation, type CocoSummary, type CocoTables, type CocoGroundTruthBox, type CocoDetectionBox,
} from './coco-eval.js';
export { HeadNet, type HeadNetOptions } from './head-net.js';
export { EfficientDet, efficientdet, type EfficientDetOptions, type DetectorForwardOptions, type DetectorOutputs } from './efficientdet.js';
export { customDetectorSpec, type CustomDetectorOptions } from './custom-detector.js';
export { detectorToSafetensors, loadDetectorSafetensors } from './detector-weights.js';
export { DETECTOR_FORMAT, DETECTOR_FORMAT_VERSION, parseDetectorManifest, type DetectorManifest } from './detector-manifest.js';

// @effnet/models: the public surface.
export { EfficientNet, efficientnet, type EfficientNetOptions, type EfficientNetBuildOptions, type ForwardOptions, type PredictOptions, type FeatureOptions, type FeatureInfo } from './efficientnet.js';
export { resetClassifier, type ResetClassifierOptions } from './reset-classifier.js';
export { adaptInputChannels } from './adapt-input-channels.js';
export { preprocess } from './preprocessing.js';
export { importWeights, importTorchvision, type ImportOptions } from './import-weights.js';
export { importKeras, kerasNames, kerasOverrides, type KerasNameTable } from './import-keras.js';
export { IMAGENET_CLASSES } from './imagenet-classes.js';
export { decodePredictions, type ClassPrediction } from './decode-predictions.js';
export { torchvisionNames, timmNames, detectFormat, type TorchLayout, type CheckpointFormat, type NameTable } from './weight-names.js';
export { readSafetensors, writeSafetensors, MAX_SAFETENSORS_HEADER, type SafeTensor, type SafetensorsDtype } from './safetensors.js';
export { EffnetModelError, EffnetWeightsError } from './errors.js';
export * from './detection/index.js';
export { saveWeights, loadWeights, loadModel, type WeightsLocation, type SaveWeightsOptions } from './weights-io.js';
export { fileHandler, parseModelJson, artifactsFromDirectory, type DirectoryReader } from './file-handler.js';
export { modelMetaJson, parseModelMeta, MODEL_META_FILE, MODEL_META_FORMAT, type ModelMeta } from './model-meta.js';
export { WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, parseManifest, checkWeightSpecs, checkWeightPath, type WeightsManifest, type CheckedWeight, type StoredQuantization } from './weights-manifest.js';
export { inferenceForm, runInferenceForm, type InferenceFormOptions, type InferenceForm, type NodeBase, type FormNode, type FormConstant, type ConvNode, type ActivationNode, type BinaryNode, type ScaleNode, type NormalizeNode, type MeanNode, type LinearNode, type MaxPoolNode, type ResizeNode, type AnchorRowsNode, type ConcatNode } from './inference/index.js';
export { quantize, dequantize, checkQuantization, floatToHalf, halfToFloat, type WeightQuantization, type QuantizedTensor } from './quantize.js';

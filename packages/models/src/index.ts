// @effnet/models: the public surface.
export { EfficientNet, efficientnet, type EfficientNetOptions, type ForwardOptions, type FeatureOptions, type FeatureInfo } from './efficientnet.js';
export { preprocess } from './preprocessing.js';
export { importTorchvision, torchvisionNames, type TorchLayout } from './import-torchvision.js';
export { readSafetensors, type SafeTensor } from './safetensors.js';
export { EffnetModelError, EffnetWeightsError } from './errors.js';

// Input normalisation per family: torchvision's ImageNet mean/std (also google/automl's V1 and
// EfficientDet input pipelines and Keras' V2-B0…B3), and Keras/automl V2's (x − 128) / 128.
import type { PreprocessingSpec } from './model-spec.js';

/** torchvision's ImageNet normalisation: pixels in 0-1, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). */
export const IMAGENET_PREPROCESSING: Readonly<PreprocessingSpec> = Object.freeze<PreprocessingSpec>({
  kind: 'imagenet',
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
});

/** google/automl and Keras EfficientNetV2 (S/M/L/XL): `x / 128 − 1` on 0-255 pixels, i.e. mean = std = 128/255 on 0-1 pixels. */
export const CENTERED_PREPROCESSING: Readonly<PreprocessingSpec> = Object.freeze<PreprocessingSpec>({
  kind: 'imagenet',
  mean: [128 / 255, 128 / 255, 128 / 255],
  std: [128 / 255, 128 / 255, 128 / 255],
});

/** TensorFlow's EfficientNet-Lite (and timm's tf_efficientnet_lite*): `(x − 127.5) / 127.5` on 0-255 pixels, i.e. mean = std = 0.5 on 0-1 pixels. */
export const HALF_PREPROCESSING: Readonly<PreprocessingSpec> = Object.freeze<PreprocessingSpec>({
  kind: 'imagenet',
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
});

// Class names for a classifier's logits: softmax, then the top k classes of each image with their
// names (ImageNet's 1,000 by default, as Keras' decode_predictions), best first.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetModelError } from './errors.js';
import { IMAGENET_CLASSES } from './imagenet-classes.js';

/** One class of one image: index, name and softmax probability. */
export interface ClassPrediction {
  /** Class index. */
  index: number;
  /** Class name. */
  name: string;
  /** Softmax probability. */
  probability: number;
}

/**
 * The `top` most probable classes of each row of `logits`, named from `classNames`.
 *
 * @param logits - `[batch, classes]` logits (e.g. `model.predict(images)`); not disposed.
 * @param options - `top` (default 5); `classNames` (default {@link IMAGENET_CLASSES}).
 * @returns One list per image, best first; ties keep the lower class index first.
 * @throws EffnetModelError when logits are not 2-D or their width differs from the number of names.
 * @example decodePredictions(model.predict(preprocess(pixels, model.spec)))[0][0].name // 'tabby'
 */
export async function decodePredictions(logits: tf.Tensor, options: { top?: number; classNames?: readonly string[] } = {}): Promise<ClassPrediction[][]> {
  const names = options.classNames ?? IMAGENET_CLASSES;
  const top = options.top ?? 5;
  if (!Number.isInteger(top) || top < 1) throw new EffnetModelError('top', `must be a positive integer, got ${String(top)}`);
  if (logits.rank !== 2 || logits.shape[1] !== names.length) {
    throw new EffnetModelError('logits', `expected [batch, ${names.length}] logits for ${names.length} class names, got [${logits.shape.join(', ')}]; pass classNames for a model with other classes`);
  }
  const probs = tf.softmax(logits as tf.Tensor2D);
  const values = await probs.data();
  probs.dispose();
  const classes = names.length;
  return Array.from({ length: logits.shape[0]! }, (_, r) =>
    Array.from(values.subarray(r * classes, (r + 1) * classes), (probability, index) => ({ index, name: names[index]!, probability }))
      .sort((a, b) => b.probability - a.probability || a.index - b.index)
      .slice(0, Math.min(top, classes)),
  );
}

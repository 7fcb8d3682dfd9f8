// timm's `reset_classifier(num_classes)` for effnet: the same network with a new, freshly
// initialised classifier of `numClasses` outputs, every other weight and batch-norm statistic
// copied from the original, ready for fine-tuning on another label set.
import * as tf from '@tensorflow/tfjs-core';
import { EfficientNet } from './efficientnet.js';
import { EffnetModelError } from './errors.js';

/** Options of {@link resetClassifier}. */
export interface ResetClassifierOptions {
  /** Seed of the new classifier's initialisation (default 0). */
  seed?: number;
}

/**
 * A copy of `model` whose classifier has `numClasses` outputs, freshly initialised (0: no
 * classifier, `forward` returns the pooled features, as timm's `reset_classifier(0)`); the stem,
 * blocks and head keep their weights and batch-norm statistics. EfficientNet's layers are fixed
 * when it is built, so unlike timm this returns a new network and leaves `model` as it was:
 * dispose `model` when it is no longer needed.
 *
 * @example
 * const pretrained = await loadModel('file://./b0');       // 1,000 ImageNet classes
 * const model = resetClassifier(pretrained, 5);             // 5 classes, same features
 * pretrained.dispose();
 *
 * @throws EffnetModelError for a bad `numClasses`, a backbone-only model, or a model built inside
 * another network's store.
 */
export function resetClassifier(model: EfficientNet, numClasses: number, options: ResetClassifierOptions = {}): EfficientNet {
  if (!(model instanceof EfficientNet)) throw new EffnetModelError('model', 'must be an EfficientNet classifier (from efficientnet() or loadModel())');
  if (!Number.isInteger(numClasses) || numClasses < 0 || numClasses > 1_000_000) {
    throw new EffnetModelError('numClasses', `must be an integer from 0 (no classifier) to 1,000,000, got ${String(numClasses)}`);
  }
  if (model.featuresOnly) throw new EffnetModelError('model', `'${model.spec.name}' was built featuresOnly (no head or classifier); build it with a classifier to reset one`);
  const fresh = new EfficientNet({ ...model.spec, numClasses }, { seed: options.seed ?? 0 });
  const source = model.namedVariables();
  const target = fresh.namedVariables();
  const missing = Object.keys(target).filter((name) => !name.startsWith('classifier.') && !source[name]);
  if (missing.length > 0) {
    fresh.dispose();
    throw new EffnetModelError('model', `lacks ${missing.length} variables of its own spec (${missing.slice(0, 3).join(', ')}): a network built inside another's store cannot be reset; reset the standalone classifier`);
  }
  tf.tidy(() => {
    for (const [name, variable] of Object.entries(target)) if (!name.startsWith('classifier.')) variable.assign(source[name]!);
  });
  return fresh;
}

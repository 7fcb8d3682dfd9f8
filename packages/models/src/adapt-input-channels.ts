// timm's `adapt_input_conv` for effnet: the same network for images of another number of
// channels, the stem's kernel adapted so pretrained features carry over. One channel from
// several: the kernel summed over its input channels, so a grey image gives exactly what the
// original gives for that image copied into every channel. Other counts from RGB: the kernel's
// channels repeated in turn and scaled by 3 / channels, keeping the activations' scale.
import * as tf from '@tensorflow/tfjs-core';
import { EfficientNet } from './efficientnet.js';
import { EffnetModelError } from './errors.js';

const STEM_KERNEL = 'stem.conv.kernel';

/** The stem kernel ([h, w, from, out]) for `to` input channels. */
function adaptKernel(kernel: tf.Tensor, to: number): tf.Tensor {
  const from = kernel.shape[2]!;
  if (to === 1) return tf.sum(kernel, 2, true);
  const repeated = tf.gather(kernel, Array.from({ length: to }, (_, i) => i % from), 2);
  return tf.mul(repeated, from / to);
}

/**
 * A copy of `model` that takes `inChannels`-channel images, as timm's `adapt_input_conv` (what
 * `create_model(..., in_chans=1, pretrained=True)` does): every weight and batch-norm statistic is
 * kept but the stem's kernel, which is summed over its input channels for one channel, or for
 * another count from RGB has its channels repeated in turn (R, G, B, R, …) and scaled by
 * 3 / `inChannels`. Returns a new network and leaves `model` as it was: dispose it when done.
 *
 * @example
 * const rgb = await loadModel('file://./b0');          // ImageNet weights, 3 channels
 * const grey = adaptInputChannels(rgb, 1);             // for 1-channel images
 * rgb.dispose();
 *
 * @throws EffnetModelError for a bad `inChannels`, or a model of neither 3 nor `inChannels`
 * channels with `inChannels` > 1 (there is no sensible repetition of, say, 4 channels into 6).
 */
export function adaptInputChannels(model: EfficientNet, inChannels: number): EfficientNet {
  if (!(model instanceof EfficientNet)) throw new EffnetModelError('model', 'must be an EfficientNet (from efficientnet() or loadModel())');
  if (!Number.isInteger(inChannels) || inChannels < 1 || inChannels > 64) {
    throw new EffnetModelError('inChannels', `must be an integer from 1 to 64, got ${String(inChannels)}`);
  }
  const from = model.spec.inChannels;
  if (inChannels > 1 && from !== 3 && from !== inChannels) {
    throw new EffnetModelError('inChannels', `cannot adapt a ${from}-channel stem to ${inChannels} channels: only 1 channel from any count, or any count from 3 (RGB)`);
  }
  const fresh = new EfficientNet({ ...model.spec, inChannels }, { featuresOnly: model.featuresOnly });
  const source = model.namedVariables();
  const target = fresh.namedVariables();
  const missing = Object.keys(target).filter((name) => !source[name]);
  if (missing.length > 0) {
    fresh.dispose();
    throw new EffnetModelError('model', `lacks ${missing.length} variables of its own spec (${missing.slice(0, 3).join(', ')}): adapt the standalone network, not one built inside another's store`);
  }
  tf.tidy(() => {
    for (const [name, variable] of Object.entries(target)) {
      variable.assign(name === STEM_KERNEL && inChannels !== from ? adaptKernel(source[name]!, inChannels) : source[name]!);
    }
  });
  return fresh;
}

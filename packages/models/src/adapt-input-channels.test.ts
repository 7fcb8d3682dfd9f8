// adaptInputChannels: timm's adapt_input_conv. A grey image through the adapted network gives the
// original's output for that image copied into R, G and B; other counts repeat and rescale.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { customSpec, type ModelSpec } from '@effnet/scaling';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adaptInputChannels } from './adapt-input-channels.js';
import { efficientnet } from './efficientnet.js';
import { EffnetModelError } from './errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
let before = 0;
beforeEach(() => (before = tf.memory().numTensors));
afterEach(() => expect(tf.memory().numTensors - before, 'tensors leaked').toBe(0));

const spec = customSpec({ blocks: ['r1_k3_s1_e1_i8_o8_c1', 'r1_k3_s2_e2_i8_o16_se0.25'], head: { channels: 24, scaleWithWidth: false }, numClasses: 5, resolution: 16 } as never) as ModelSpec;

/** A network whose batch norm has non-trivial statistics, so its outputs depend on every weight. */
function rgbNetwork() {
  const model = efficientnet(spec, { seed: 4 });
  tf.tidy(() => {
    for (const [name, variable] of Object.entries(model.namedVariables())) {
      if (name.endsWith('movingMean')) variable.assign(tf.randomUniform(variable.shape, -0.2, 0.2, 'float32', 1));
      if (name.endsWith('movingVariance')) variable.assign(tf.randomUniform(variable.shape, 0.5, 1.5, 'float32', 2));
    }
  });
  return model;
}

describe('adaptInputChannels', () => {
  it('1 channel: a grey image gives the RGB network’s logits for the image in every channel (within 1e-5)', () => {
    const rgb = rgbNetwork();
    const grey = adaptInputChannels(rgb, 1);
    expect(grey.spec.inChannels).toBe(1);
    expect(grey.namedVariables()['stem.conv.kernel']!.shape).toEqual([3, 3, 1, 8]);
    const [a, b, scale] = tf.tidy(() => {
      const image = tf.randomUniform([2, 16, 16, 1], -1, 1, 'float32', 7) as tf.Tensor4D;
      const fromGrey = grey.predict(image);
      const fromRgb = rgb.predict(tf.concat([image, image, image], 3) as tf.Tensor4D);
      return [fromGrey.arraySync() as number[][], fromRgb.arraySync() as number[][], tf.max(tf.abs(fromRgb)).dataSync()[0]!];
    });
    expect(scale).toBeGreaterThan(1e-2);
    a.flat().forEach((value, i) => expect(Math.abs(value - b.flat()[i]!)).toBeLessThan(1e-5 * Math.max(1, scale)));
    // Every other weight is the original's.
    const source = rgb.namedVariables();
    for (const [name, variable] of Object.entries(grey.namedVariables())) {
      if (name !== 'stem.conv.kernel') expect(Array.from(variable.dataSync()), name).toEqual(Array.from(source[name]!.dataSync()));
    }
    rgb.dispose();
    grey.dispose();
  });

  it('more channels from RGB: channels repeated R, G, B, R, … and scaled by 3 / channels', () => {
    const rgb = rgbNetwork();
    const five = adaptInputChannels(rgb, 5);
    const [k3, k5] = [rgb, five].map((m) => m.namedVariables()['stem.conv.kernel']!.arraySync() as number[][][][]);
    for (const c of [0, 1, 2, 3, 4]) expect(k5![1]![2]![c]![7]).toBeCloseTo(k3![1]![2]![c % 3]![7]! * (3 / 5), 6);
    rgb.dispose();
    five.dispose();
  });

  it('the same count is a plain copy; impossible counts are refused with EffnetModelError', () => {
    const rgb = rgbNetwork();
    const same = adaptInputChannels(rgb, 3);
    expect(Array.from(same.namedVariables()['stem.conv.kernel']!.dataSync())).toEqual(Array.from(rgb.namedVariables()['stem.conv.kernel']!.dataSync()));
    const grey = adaptInputChannels(rgb, 1);
    expect(() => adaptInputChannels(grey, 2)).toThrow(EffnetModelError);
    expect(() => adaptInputChannels(rgb, 0)).toThrow(/inChannels.*from 1 to 64/);
    expect(() => adaptInputChannels(rgb, 1.5)).toThrow(EffnetModelError);
    for (const m of [rgb, same, grey]) m.dispose();
  });
});

// predict() through the fused inference form on wasm with @effnet/backend-wasm's kernels (its 1×1
// and depthwise convolutions applying SiLU and sigmoid themselves, EffnetSilu, the replaced stock
// kernels) against the plain modules on the same backend: the logits within 1e-5 (relative) for
// tiny models of every activation and padding and for B0 at 64 px, with batch-norm statistics
// made random so that folding them matters; the new kernels in the profile; no tensor left behind.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-wasm';
import { efficientnet, type EfficientNet } from '@effnet/models';
import { preset, scale, type Activation, type ModelSpec } from '@effnet/scaling';

/** A model whose batch norms have seeded random scales, shifts and moving statistics. */
function model(spec: ModelSpec, seed: number): EfficientNet {
  const m = efficientnet(spec, { seed });
  let k = 0;
  for (const [name, v] of Object.entries(m.namedVariables())) {
    const random = (low: number, high: number) => tf.randomUniform(v.shape, low, high, 'float32', seed + k++);
    const value = /moving_variance/.test(name) ? random(0.5, 2) : /moving_mean|beta/.test(name) ? random(-0.2, 0.2) : /gamma/.test(name) ? random(0.6, 1.4) : null;
    if (value !== null) {
      v.assign(value);
      value.dispose();
    }
  }
  return m;
}

function tiny(name: string, padding: 'same' | 'symmetric', activation?: Activation): ModelSpec {
  const spec = scale(preset(name, { numClasses: 7, padding }) as ModelSpec, { width: 0.25, depth: 0.25, resolution: 1 });
  return activation ? { ...spec, activation } : spec;
}

/** max |fused − plain| / max |plain| of `m` on `x`, and the kernels the fused call ran. */
async function compare(m: EfficientNet, x: tf.Tensor4D): Promise<{ error: number; kernels: Set<string> }> {
  const plain = m.predict(x, { fused: false });
  m.predict(x).dispose(); // builds the form's constants outside the profile
  let fused: tf.Tensor | undefined;
  const profile = await tf.profile(() => {
    fused = m.predict(x);
    return fused;
  });
  const error = tf.tidy(() => tf.max(tf.abs(tf.sub(fused!, plain))).dataSync()[0]! / tf.max(tf.abs(plain)).dataSync()[0]!);
  tf.dispose([plain, fused!]);
  return { error, kernels: new Set(profile.kernelNames) };
}

describe('fused predict on wasm with @effnet/backend-wasm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each([
    ['efficientnet-b0', 'symmetric', undefined],
    ['efficientnet-b0', 'same', undefined],
    ['efficientnetv2-s', 'symmetric', undefined],
    ['efficientnetv2-b0', 'same', 'relu'],
    ['efficientnet-b0', 'symmetric', 'relu6'],
    ['efficientnet-b0', 'same', 'gelu'],
  ] as const)('%s (%s padding, %s) gives the plain logits within 1e-5', async (name, padding, activation) => {
    const before = tf.memory().numTensors;
    const m = model(tiny(name, padding, activation), 5);
    const x = tf.randomUniform([2, 37, 41, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const { error, kernels } = await compare(m, x);
    expect(error).toBeLessThan(1e-5);
    expect(kernels.has('EffnetPointwiseConv')).toBe(true);
    expect(kernels.has('EffnetDepthwiseConv')).toBe(true);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('B0 at 64×64 gives the plain logits within 1e-5, SiLU and the gate sigmoids inside the convolutions (no Sigmoid; one EffnetSilu: the stem)', async () => {
    const before = tf.memory().numTensors;
    const m = model(preset('efficientnet-b0', { numClasses: 10 }) as ModelSpec, 8);
    const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const { error, kernels } = await compare(m, x);
    expect(error).toBeLessThan(1e-5);
    expect([...kernels].filter((k) => /^(Effnet|Sigmoid|Multiply|Fused|Conv|Depthwise)/.test(k)).sort()).toEqual(['EffnetDepthwiseConv', 'EffnetPointwiseConv', 'EffnetSilu', 'FusedConv2D', 'Multiply']);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

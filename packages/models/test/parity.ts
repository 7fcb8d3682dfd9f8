// Test helper (not published): compares a model with a torchvision fixture written by
// tools/fixtures/torchvision_reference.py — eval-mode logits and every feature map
// (`feature.stride<r>`, NCHW) — within max-abs 1e-4 × max(1, max|reference|).
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { modelSpecFromStages, preset, scale, type ModelSpec } from '@effnet/scaling';
import { expect } from 'vitest';
import type { EfficientNet } from '../src/efficientnet.js';
import type { SafeTensor } from '../src/safetensors.js';

/** The committed narrow fixtures (packages/models/test/fixtures). */
export const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

/** The specs of the committed fixtures, as tools/fixtures/torchvision_reference.py builds them in torchvision. */
export const FIXTURE_SPECS: Record<'b0-narrow' | 'v2-tiny', () => ModelSpec> = {
  'b0-narrow': () => scale(preset('efficientnet-b0', { numClasses: 10 }), { width: 0.25, depth: 0.25, resolution: 1 }),
  'v2-tiny': () =>
    modelSpecFromStages(['r1_k3_s1_e1_i16_o16_c1', 'r2_k3_s2_e4_i16_o24_c1', 'r2_k3_s2_e4_i24_o32_se0.25', 'r1_k3_s1_e6_i32_o40_se0.25'], {
      name: 'v2-tiny', family: 'efficientnetv2', convention: 'torchvision', head: { channels: 128, scaleWithWidth: false },
      batchNorm: { eps: 1e-3, momentum: 0.1 }, numClasses: 10, resolution: 64,
    }),
};

/** max |got − want| and the tolerance 1e-4 × max(1, max|want|). */
export function maxAbsError(got: ArrayLike<number>, want: Float32Array): { maxAbs: number; tolerance: number } {
  let maxAbs = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return { maxAbs, tolerance: 1e-4 * scale };
}

/** The fixture's NCHW input as NHWC. */
export function fixtureInput(tensors: Map<string, SafeTensor>): tf.Tensor4D {
  const input = tensors.get('input')!;
  return tf.tidy(() => tf.transpose(tf.tensor4d(input.values, input.shape as [number, number, number, number]), [0, 2, 3, 1]));
}

/** Names of the fixture's non-weight tensors (input, logits, feature maps). */
export function referenceKeys(tensors: Map<string, SafeTensor>): string[] {
  return [...tensors.keys()].filter((key) => key === 'input' || key === 'logits' || key.startsWith('feature.'));
}

/** Asserts logits and every feature map of the fixture; prints the errors under `label`; returns how many maps were compared. */
export async function expectTorchvisionOutputs(model: EfficientNet, tensors: Map<string, SafeTensor>, label = model.spec.name): Promise<number> {
  const x = fixtureInput(tensors);
  try {
    const logits = model.predict(x);
    const expected = tensors.get('logits')!;
    expect(Array.from(logits.shape)).toEqual(expected.shape);
    const got = await logits.data();
    logits.dispose();
    const l = maxAbsError(got, expected.values);
    expect(l.maxAbs, 'logits').toBeLessThan(l.tolerance);
    const info = model.featureInfo();
    const maps = model.features(x);
    let compared = 0;
    try {
      for (const level of info) {
        const want = tensors.get(`feature.stride${level.reduction}`);
        expect(want, `fixture has feature.stride${level.reduction}`).toBeDefined();
        const nchw = tf.tidy(() => tf.transpose(maps[level.index]!, [0, 3, 1, 2]));
        expect(Array.from(nchw.shape)).toEqual(want!.shape);
        expect(level.channels).toBe(want!.shape[1]);
        const values = await nchw.data();
        nchw.dispose();
        const f = maxAbsError(values, want!.values);
        expect(f.maxAbs, `feature.stride${level.reduction}`).toBeLessThan(f.tolerance);
        compared++;
      }
    } finally {
      tf.dispose(maps);
    }
    console.log(`${label} on ${tf.getBackend()}: logits max-abs ${l.maxAbs.toExponential(2)} (tolerance ${l.tolerance.toExponential(2)}), ${compared} feature maps within tolerance`);
    expect(compared).toBe([...tensors.keys()].filter((key) => key.startsWith('feature.')).length);
    return compared;
  } finally {
    x.dispose();
  }
}

// saveWeights with quantised kernels: float16 and uint8 (per tensor, per channel) files are smaller,
// loadModel and loadWeights read them back, the logits move by little, and a damaged quantisation
// field is refused before anything is written.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { preset, scale, type ModelSpec } from '@effnet/scaling';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import type { WeightQuantization } from './quantize.js';
import { loadModel, loadWeights, saveWeights } from './weights-io.js';

await tf.setBackend('cpu');

async function saved(model: EfficientNet, quantize: WeightQuantization | null): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await saveWeights(model, tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { quantize });
  return artifacts!;
}

const bytes = (a: tf.io.ModelArtifacts) => (a.weightData as ArrayBuffer).byteLength;

describe('saveWeights with quantised kernels', () => {
  it.each([
    [{ dtype: 'float16' }, 0.53, 1e-2],
    [{ dtype: 'uint8', granularity: 'tensor' }, 0.29, 0.2],
    [{ dtype: 'uint8', granularity: 'channel' }, 0.29, 0.1],
  ] as const)('%j: smaller file, loadModel reads it, logits move little', async (quantize, sizeRatio, logitChange) => {
    const model = new EfficientNet(scale(preset('efficientnet-b0', { numClasses: 10 }) as ModelSpec, { width: 0.5, depth: 0.5, resolution: 1 }), { seed: 1 });
    const full = await saved(model, null);
    const small = await saved(model, quantize);
    expect(bytes(small) / bytes(full)).toBeLessThan(sizeRatio);
    expect((small.modelTopology as { formatVersion: number }).formatVersion).toBe(2);
    const loaded = await loadModel(tf.io.fromMemory(small));
    const x = tf.randomUniform([2, 32, 32, 3], -2, 2, 'float32', 5) as tf.Tensor4D;
    const [a, b] = [model.predict(x), loaded.predict(x)];
    const change = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
    expect(change).toBeGreaterThan(0);
    expect(change).toBeLessThan(logitChange);
    const again = new EfficientNet(model.spec, { seed: 9 });
    await loadWeights(again, tf.io.fromMemory(small));
    expect(again.namedVariables()['stem.bn.movingMean']!.dataSync()).toEqual(model.namedVariables()['stem.bn.movingMean']!.dataSync());
    tf.dispose([x, a, b]);
    [model, loaded, again].forEach((m) => m.dispose());
  });

  it('refuses a damaged per-channel field and an unknown quantisation, writing nothing', async () => {
    const model = new EfficientNet(scale(preset('efficientnet-b0', { numClasses: 3 }) as ModelSpec, { width: 0.25, depth: 0.25, resolution: 1 }));
    const artifacts = await saved(model, { dtype: 'uint8', granularity: 'channel' });
    const specs = artifacts.weightSpecs!.map((s) => (s.name === 'stem.conv.kernel' ? { ...s, quantization: { ...(s.quantization as object), scales: [1] } } : s)) as tf.io.WeightsManifestEntry[];
    const before = model.namedVariables()['head.conv.kernel']!.dataSync().slice();
    await expect(loadWeights(model, tf.io.fromMemory({ ...artifacts, weightSpecs: specs }))).rejects.toThrow(/stem\.conv\.kernel': needs 8 finite per-channel scales/);
    expect(model.namedVariables()['head.conv.kernel']!.dataSync()).toEqual(before);
    await expect(saveWeights(model, tf.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { quantize: { dtype: 'int4' } as never })).rejects.toThrow(EffnetWeightsError);
    model.dispose();
  });
});

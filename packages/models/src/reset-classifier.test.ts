import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { customSpec, type ModelSpec } from '@effnet/scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet, efficientnet } from './efficientnet.js';
import { EffnetModelError } from './errors.js';
import { resetClassifier } from './reset-classifier.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec = customSpec({ blocks: ['r1_k3_s1_e1_i8_o8_c1', 'r1_k3_s2_e2_i8_o16_se0.25'], head: { channels: 24, scaleWithWidth: false }, numClasses: 10, resolution: 16 } as never) as ModelSpec;

describe('resetClassifier', () => {
  it('keeps every weight and BN statistic but the classifier, which gets the new width', () => {
    const before = tf.memory().numTensors;
    const original = efficientnet(spec, { seed: 3 });
    tf.tidy(() => original.namedVariables()['blocks.1.dw.bn.movingMean']!.assign(tf.fill([16], 0.25)));
    const reset = resetClassifier(original, 5, { seed: 1 });
    const a = original.namedVariables();
    const b = reset.namedVariables();
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) {
      if (name.startsWith('classifier.')) continue;
      expect(Array.from(b[name]!.dataSync()), name).toEqual(Array.from(a[name]!.dataSync()));
    }
    expect(b['classifier.kernel']!.shape).toEqual([24, 5]);
    expect(reset.spec.numClasses).toBe(5);
    const logits = tf.tidy(() => reset.predict(tf.ones([2, 16, 16, 3])).shape);
    expect(logits).toEqual([2, 5]);
    // Pooled features before the classifier are the original network's.
    const [pooledA, pooledB] = tf.tidy(() => [resetClassifier(original, 0), resetClassifier(reset, 0)].map((m) => {
      const out = m.predict(tf.ones([1, 16, 16, 3])).arraySync();
      m.dispose();
      return out;
    }));
    expect(pooledB).toEqual(pooledA);
    original.dispose();
    reset.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a bad class count and a backbone-only model with EffnetModelError', () => {
    const model = efficientnet(spec);
    expect(() => resetClassifier(model, 2.5)).toThrow(EffnetModelError);
    expect(() => resetClassifier(model, -1)).toThrow(/numClasses/);
    model.dispose();
    const backbone = new EfficientNet(spec, { featuresOnly: true });
    expect(() => resetClassifier(backbone, 3)).toThrow(/featuresOnly/);
    backbone.dispose();
  });
});

describe('frozen batch norm', () => {
  it('a training-mode pass with frozenBatchNorm uses and keeps the moving statistics (eval output, no dropout)', () => {
    const model = efficientnet(spec, { seed: 2 });
    const stats = () => Object.entries(model.namedVariables()).filter(([n]) => n.includes('moving')).map(([, v]) => Array.from(v.dataSync()));
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const kept = stats();
    const frozen = tf.tidy(() => model.forward(x, { training: true, frozenBatchNorm: true, dropout: 0, dropPath: 0 }).arraySync());
    expect(stats()).toEqual(kept);
    expect(frozen).toEqual(tf.tidy(() => model.predict(x, { fused: false }).arraySync())); // the modules' eval pass, op for op
    const { value, grads } = tf.variableGrads(() => tf.sum(model.forward(x, { training: true, dropout: 0, dropPath: 0 })), model.trainableVariables());
    tf.dispose([value, ...Object.values(grads)]);
    expect(stats()).not.toEqual(kept);
    x.dispose();
    model.dispose();
  });
});

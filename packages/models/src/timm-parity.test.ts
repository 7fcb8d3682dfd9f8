// Parity with timm 1.0.29 (fixtures-full/, written by `npm run fixtures` in the venv of
// tools/fixtures/reference-env.sh): every preset timm has matches timm's model tensor by tensor
// through the timm name table (timm_shapes.py: names and shapes, no weights), and real timm state
// dicts with seeded weights and randomised BN statistics (timm_reference.py), imported with
// `from: 'timm'`, give timm's eval-mode logits within 1e-4 relative. Without the fixtures the
// tests are skipped with a printed reason, unless CI is set, where they fail.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cost, preset, type ModelSpec, type PresetOverrides } from '@effnet/scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { convertedShape, importWeights } from './import-weights.js';
import { readSafetensors } from './safetensors.js';
import { fixtureInput, maxAbsError, referenceKeys } from '../test/parity.js';
import { timmNames } from './weight-names.js';

const FULL = join(import.meta.dirname, '..', '..', '..', 'fixtures-full');
const SHAPES = join(FULL, 'timm-shapes.json');
const CHECKPOINTS = join(FULL, 'timm');
const present = existsSync(SHAPES) && existsSync(CHECKPOINTS);
if (!present && !process.env['CI']) {
  console.warn(`timm parity skipped: ${SHAPES} or ${CHECKPOINTS} is missing; run tools/fixtures/reference-env.sh, then \`npm run fixtures\``);
}

/** Every effnet preset timm has (its tf_ ports), as timm_shapes.py writes them. */
const TIMM_PRESETS = [
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `efficientnet-b${i}`), 'efficientnet-l2',
  ...[0, 1, 2, 3, 4].map((i) => `efficientnet-lite${i}`),
  ...[0, 1, 2, 3].map((i) => `efficientnetv2-b${i}`), ...['s', 'm', 'l', 'xl'].map((s) => `efficientnetv2-${s}`),
];

/** TensorFlow ports: 'same' padding and TF's BN eps 1e-3 (the presets that mirror torchvision say otherwise). */
const TF_PORT: PresetOverrides = { padding: 'same', batchNorm: { eps: 1e-3, momentum: 0.01 } };

/** timm checkpoint → the effnet preset and overrides that build its architecture. */
const CHECKPOINT_PRESETS: Record<string, [string, PresetOverrides]> = {
  efficientnet_b0: ['efficientnet-b0', {}],
  tf_efficientnet_b3: ['efficientnet-b3', TF_PORT],
  tf_efficientnet_b8: ['efficientnet-b8', {}],
  tf_efficientnet_lite0: ['efficientnet-lite0', {}],
  tf_efficientnet_lite4: ['efficientnet-lite4', {}],
  tf_efficientnetv2_b0: ['efficientnetv2-b0', {}],
  tf_efficientnetv2_s: ['efficientnetv2-s', { padding: 'same' }],
};

interface TimmShapes {
  timm: string;
  params: number;
  tensors: Record<string, number[]>;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('timm fixtures', () => {
  it.runIf(Boolean(process.env['CI']))('exist on CI', () => {
    expect(existsSync(SHAPES), SHAPES).toBe(true);
    expect(existsSync(CHECKPOINTS), CHECKPOINTS).toBe(true);
  });
});

describe.skipIf(!present)('counts against timm, tensor by tensor', () => {
  const models = present ? (JSON.parse(readFileSync(SHAPES, 'utf8')) as { models: Record<string, TimmShapes> }).models : {};

  it('cover every preset timm has', () => {
    expect(Object.keys(models).sort()).toEqual([...TIMM_PRESETS].sort());
  });

  it.each(TIMM_PRESETS)('%s: every tensor has timm’s shape under timm’s name, and the parameter count is timm’s', (name) => {
    const theirs = models[name]!;
    const spec = preset(name, {}) as ModelSpec;
    const model = new EfficientNet(spec, { shapeOnly: true });
    const ours = Object.fromEntries(model.store.list().map((entry) => [entry.name, entry.shape]));
    const problems: string[] = [];
    const used = new Set<string>();
    for (const [mine, [timmName, layout]] of timmNames(spec)) {
      used.add(timmName);
      const shape = theirs.tensors[timmName];
      if (!shape) problems.push(`timm has no ${timmName} (for ${mine})`);
      else if (convertedShape(shape, layout)?.join(',') !== ours[mine]?.join(',')) problems.push(`${timmName} [${shape.join(', ')}] vs ${mine} [${ours[mine]?.join(', ')}]`);
    }
    for (const timmName of Object.keys(theirs.tensors)) if (!used.has(timmName)) problems.push(`${timmName} has no effnet tensor`);
    expect(problems).toEqual([]);
    expect(model.countParams()).toBe(theirs.params);
    expect(cost(spec).params).toBe(theirs.params);
    console.log(`${name} = ${theirs.timm}: ${Object.keys(theirs.tensors).length} tensors, ${theirs.params} parameters`);
  });
});

describe.skipIf(!present)('real timm checkpoints', () => {
  it.each(Object.entries(CHECKPOINT_PRESETS))('%s imported with from: timm gives timm’s logits', async (file, [name, overrides]) => {
    const bytes = new Uint8Array(readFileSync(join(CHECKPOINTS, `${file}.safetensors`)));
    const tensors = readSafetensors(bytes);
    const size = tensors.get('input')!.shape[2]!;
    const model = new EfficientNet(preset(name, { ...overrides, resolution: size }) as ModelSpec);
    const x = fixtureInput(tensors);
    try {
      expect(importWeights(model, bytes, { from: 'timm', ignore: referenceKeys(tensors) })).toBe('timm');
      const logits = model.predict(x);
      const got = await logits.data();
      logits.dispose();
      const { maxAbs, tolerance } = maxAbsError(got, tensors.get('logits')!.values);
      console.log(`${file} at ${size} px: logits max-abs ${maxAbs.toExponential(2)} (tolerance ${tolerance.toExponential(2)})`);
      expect(maxAbs).toBeLessThan(tolerance);
    } finally {
      x.dispose();
      model.dispose();
    }
  }, 600_000);
});

// saveWeights / loadWeights / loadModel: round trips through file:// and an in-memory IOHandler
// reproduce the logits bit for bit (BN statistics included); foreign, newer or mismatched files
// and manifests whose paths leave the model directory give EffnetWeightsError; saving is atomic.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { customSpec, type ModelSpec } from '@effnet/scaling';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { loadModel, loadWeights, saveWeights } from './weights-io.js';

const work = mkdtempSync(join(tmpdir(), 'effnet-weights-'));

function spec(numClasses = 3): ModelSpec {
  return customSpec({ blocks: ['r1_k3_s2_e1_i8_o8_c1', 'r1_k3_s2_e4_i8_o16_se0.25'], head: { channels: 24, scaleWithWidth: false }, numClasses, resolution: 16 } as never);
}

/** A model whose BN statistics are not the initial ones (one training pass). */
function trainedModel(seed: number): EfficientNet {
  const model = new EfficientNet(spec(), { seed });
  tf.tidy(() => {
    model.forward(tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', seed) as tf.Tensor4D, { training: true });
  });
  return model;
}

async function logits(model: EfficientNet): Promise<Float32Array> {
  const out = tf.tidy(() => model.predict(tf.randomNormal([2, 20, 20, 3], 0, 1, 'float32', 99) as tf.Tensor4D));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('round trips', () => {
  it('file:// save then load reproduces the logits bit for bit, and leaves no temporary file', async () => {
    const source = trainedModel(1);
    const target = new EfficientNet(spec(), { seed: 2 });
    const dir = join(work, 'roundtrip');
    try {
      const result = await saveWeights(source, `file://${dir}`);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
      expect(result.modelArtifactsInfo.weightDataBytes).toBe(source.store.countAll() * 4);
      const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(manifest.modelTopology.format).toBe('effnet-weights');
      expect(manifest.modelTopology.formatVersion).toBe(1);
      expect(manifest.modelTopology.spec).toEqual(JSON.parse(JSON.stringify(source.spec)));
      const want = await logits(source);
      expect(Array.from(await logits(target))).not.toEqual(Array.from(want));
      await loadWeights(target, `file://${dir}`);
      expect(Array.from(await logits(target))).toEqual(Array.from(want));
      const rebuilt = await loadModel(`file://${join(dir, 'model.json')}`);
      expect(Array.from(await logits(rebuilt))).toEqual(Array.from(want));
      rebuilt.dispose();
      // Saving again over the same directory replaces both files atomically.
      await saveWeights(target, `file://${dir}`);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    } finally {
      source.dispose();
      target.dispose();
    }
  });

  it('an in-memory IOHandler round trip is bit for bit too', async () => {
    const source = trainedModel(3);
    const target = new EfficientNet(spec(), { seed: 4 });
    try {
      let saved: tf.io.ModelArtifacts | undefined;
      await saveWeights(source, tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
      await loadWeights(target, tf.io.fromMemory(saved!));
      expect(Array.from(await logits(target))).toEqual(Array.from(await logits(source)));
    } finally {
      source.dispose();
      target.dispose();
    }
  });
});

describe('refused files', () => {
  it('a different spec, a newer format, a missing handler, misfit tensors', async () => {
    const source = trainedModel(5);
    const other = new EfficientNet(spec(4));
    let saved: tf.io.ModelArtifacts | undefined;
    await saveWeights(source, tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    try {
      await expect(loadWeights(other, tf.io.fromMemory(saved!))).rejects.toThrow(/were saved for another spec .*first difference at spec\.numClasses \(3 vs 4\)/);
      const topology = saved!.modelTopology as { formatVersion: number };
      await expect(loadWeights(source, tf.io.fromMemory({ ...saved!, modelTopology: { ...topology, formatVersion: 3 } }))).rejects.toThrow(/formatVersion 3 is newer than this @effnet\/models reads \(2\); upgrade/);
      await expect(loadWeights(source, 'nowhere://x')).rejects.toThrow(/no tf\.io handler can load 'nowhere:\/\/x'/);
      const specs = saved!.weightSpecs!;
      const renamed = specs.map((s, i) => (i === 0 ? { ...s, name: 'stem.conv.kernel2' } : s));
      const error = await loadWeights(source, tf.io.fromMemory({ ...saved!, weightSpecs: renamed })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EffnetWeightsError);
      expect((error as Error).message).toMatch(/2 problem\(s\): unexpected 'stem\.conv\.kernel2'; missing 'stem\.conv\.kernel'/);
      const reshaped = specs.map((s, i) => (i === 0 ? { ...s, shape: [s.shape[3]!, s.shape[2]!, s.shape[1]!, s.shape[0]!] } : s));
      await expect(loadWeights(source, tf.io.fromMemory({ ...saved!, weightSpecs: reshaped }))).rejects.toThrow(/'stem\.conv\.kernel' has shape \[\d+, 3, 3, 3\], the model needs \[3, 3, 3, \d+\]/);
    } finally {
      source.dispose();
      other.dispose();
    }
  });

  it('manifest paths that leave the model directory: .., absolute, drive letters, symlinks', async () => {
    const model = trainedModel(6);
    const dir = join(work, 'hostile');
    const outside = join(work, 'outside');
    try {
      await saveWeights(model, `file://${dir}`);
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'weights.bin'), readFileSync(join(dir, 'weights.bin')));
      const original = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const withPath = (p: unknown) => {
        writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...original, weightsManifest: [{ ...original.weightsManifest[0], paths: [p] }] }));
      };
      const hostile: unknown[] = ['../outside/weights.bin', `${outside}/weights.bin`, 'sub/../../outside/weights.bin', './weights.bin', 'C:\\weights.bin', 'c:weights.bin', '..\\outside\\weights.bin', 'file:///etc/passwd', 'weights.bin\0', '', 7, null, 'a//b'];
      for (const p of hostile) {
        withPath(p);
        await expect(loadWeights(model, `file://${dir}`), JSON.stringify(p)).rejects.toThrow(EffnetWeightsError);
      }
      symlinkSync(join(outside, 'weights.bin'), join(dir, 'link.bin'));
      withPath('link.bin');
      await expect(loadWeights(model, `file://${dir}`)).rejects.toThrow(/'link\.bin' is not a regular file \(symlinks are refused\)/);
      mkdirSync(join(dir, 'sub'));
      symlinkSync(outside, join(dir, 'sub', 'out'));
      withPath('sub/out/weights.bin');
      await expect(loadWeights(model, `file://${dir}`)).rejects.toThrow(/resolves outside the model directory/);
      withPath('missing.bin');
      await expect(loadWeights(model, `file://${dir}`)).rejects.toThrow(/missing\.bin does not exist/);
      withPath('weights.bin');
      await loadWeights(model, `file://${dir}`);
    } finally {
      model.dispose();
    }
  });
});

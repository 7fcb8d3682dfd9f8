// NaN or Inf weights are refused by every load and import path, naming the tensor, and leave the
// model as it was: loadWeights and loadModel (file://), importWeights (safetensors).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { customSpec, type ModelSpec } from '@effnet/scaling';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { importWeights } from './import-weights.js';
import { writeSafetensors } from './safetensors.js';
import { torchvisionNames, type TorchLayout } from './weight-names.js';
import { loadModel, loadWeights, saveWeights } from './weights-io.js';

const work = mkdtempSync(join(tmpdir(), 'effnet-finite-'));
const spec: ModelSpec = customSpec({ blocks: ['r1_k3_s2_e1_i8_o8_c1'], head: { channels: 16, scaleWithWidth: false }, numClasses: 3, resolution: 16 } as never);

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A saved model folder whose tensor `name` has one value replaced by `bad`. */
async function corruptFolder(name: string, bad: number): Promise<string> {
  const model = new EfficientNet(spec, { seed: 1 });
  const dir = join(work, `${name.replace(/\W/g, '_')}-${bad}`);
  await saveWeights(model, `file://${dir}`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
  let offset = 0;
  for (const w of json.weightsManifest[0]!.weights) {
    if (w.name === name) break;
    offset += 4 * w.shape.reduce((a, b) => a * b, 1);
  }
  const bytes = readFileSync(join(dir, 'weights.bin'));
  bytes.writeFloatLE(bad, offset + 4);
  writeFileSync(join(dir, 'weights.bin'), bytes);
  model.dispose();
  return dir;
}

describe('non-finite weights', () => {
  it('loadModel and loadWeights refuse NaN and Inf, naming the tensor, and change nothing', async () => {
    const model = new EfficientNet(spec, { seed: 2 });
    const name = Object.keys(model.namedVariables()).find((n) => n.startsWith('head'))!;
    const before = Array.from(model.namedVariables()[name]!.dataSync());
    for (const bad of [NaN, Infinity]) {
      const dir = await corruptFolder(name, bad);
      const tensors = tf.memory().numTensors;
      await expect(loadModel(`file://${dir}`)).rejects.toThrow(new EffnetWeightsError('weights', `tensor '${name}' holds ${bad} at index 1: the weights are corrupt or come from a diverged run; re-export them from a healthy checkpoint`));
      await expect(loadWeights(model, `file://${dir}`)).rejects.toThrow(EffnetWeightsError);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(Array.from(model.namedVariables()[name]!.dataSync())).toEqual(before);
    }
    model.dispose();
  });

  it('importWeights refuses a NaN in a torchvision state dict, naming the file tensor', () => {
    const model = new EfficientNet(spec, { seed: 3 });
    const variables = model.namedVariables();
    const torchShape: Record<TorchLayout, (s: number[]) => number[]> = {
      conv: ([h, w, i, o]) => [o!, i!, h!, w!], depthwise: ([h, w, c]) => [c!, 1, h!, w!], linear: ([i, o]) => [o!, i!], vector: (s) => s,
    };
    const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const [ours, [theirs, layout]] of torchvisionNames(spec)) {
      const shape = torchShape[layout](variables[ours]!.shape);
      tensors.set(theirs, { shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5) });
    }
    const [victim] = [...tensors.keys()].filter((n) => n.endsWith('running_var'));
    tensors.get(victim!)!.values[2] = NaN;
    const before = Array.from(variables['stem.conv.kernel'] ? variables['stem.conv.kernel'].dataSync() : []);
    expect(() => importWeights(model, writeSafetensors(tensors), { from: 'torchvision' })).toThrow(`torchvision state dict: tensor '${victim}' holds NaN at index 2`);
    expect(Array.from(variables['stem.conv.kernel'] ? variables['stem.conv.kernel'].dataSync() : [])).toEqual(before);
    tensors.get(victim!)!.values[2] = 1;
    expect(importWeights(model, writeSafetensors(tensors), { from: 'torchvision' })).toBe('torchvision');
    model.dispose();
  });
});

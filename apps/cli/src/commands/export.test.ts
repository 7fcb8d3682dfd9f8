// effnet export: a model folder written by saveModel comes out as an ONNX file that
// onnxruntime-node runs with the model's logits, as a graph-model folder and as torchvision
// safetensors; every refusal is one line with exit code 2 and leaves nothing half-written.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { efficientnet, readSafetensors } from '@effnet/models';
import { runCli } from '../../test/cli-runner.js';
import { saveModel } from '../run/model-folder.js';
import { encodePng } from '@effnet/data';
import { preset, type ModelSpec } from '@effnet/scaling';

await tf.setBackend('cpu');
const work = mkdtempSync(join(tmpdir(), 'effnet-export-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = runCli;

async function modelFolder(): Promise<{ dir: string; logits: Float32Array; images: tf.Tensor4D }> {
  const spec = preset('efficientnetv2-28-lite', { numClasses: 10, inChannels: 3 }) as ModelSpec;
  const model = efficientnet(spec, { seed: 4 });
  const dir = join(work, 'run');
  await saveModel(dir, model, { spec, classNames: Array.from({ length: 10 }, (_, i) => `c${i}`), mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], imageSize: 28, source: 'test' });
  const images = tf.randomUniform([2, 28, 28, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
  const out = model.predict(images);
  const logits = out.dataSync() as Float32Array;
  out.dispose();
  model.dispose();
  return { dir, logits, images };
}

describe('effnet export', () => {
  it('writes a model folder as ONNX that onnxruntime-node runs with its logits (1e-4), as a graph model and as torchvision safetensors', async () => {
    const { dir, logits, images } = await modelFolder();
    const onnxPath = join(work, 'lite.onnx');
    const result = await run('export', dir, '--format', 'onnx', '--out', onnxPath, '--json');
    expect(result.err).toBe('');
    expect(JSON.parse(result.out)).toMatchObject({ format: 'onnx', model: 'efficientnetv2-28-lite', trainedWeights: true, quantize: 'float32' });
    const session = await ort.InferenceSession.create(readFileSync(onnxPath));
    const got = await session.run({ images: new ort.Tensor('float32', images.dataSync() as Float32Array, images.shape) });
    const data = got['logits']!.data as Float32Array;
    expect(Math.max(...data.map((v, i) => Math.abs(v - logits[i]!)))).toBeLessThan(1e-4);
    images.dispose();

    expect((await run('export', dir, '--format', 'graph-model', '--quantize', 'float16', '--out', join(work, 'lite-graph'))).code).toBe(0);
    expect(readdirSync(join(work, 'lite-graph')).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    expect((await run('export', dir, '--format', 'torchvision', '--out', join(work, 'lite.safetensors'))).code).toBe(0);
    expect(readSafetensors(new Uint8Array(readFileSync(join(work, 'lite.safetensors')))).get('features.0.0.weight')!.shape).toEqual([16, 3, 3, 3]);
    expect(readdirSync(work).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('refuses what it cannot export in one line, exit code 2, writing nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['efficientdet-d0', '--format', 'timm'], /^error: model: efficientdet-d0 is a detector; timm has no EfficientDet, export it as onnx or graph-model\n$/],
      [['efficientnet-b0', '--format', 'torchvision', '--quantize', 'uint8'], /^error: --quantize: torchvision state dicts are written in float32/],
      [['efficientnet-b9', '--format', 'onnx'], /^error: unknown preset 'efficientnet-b9'/],
      [['efficientnet-b0', '--format', 'onnx', '--out', join(work, 'missing', 'b0.onnx')], /does not exist; create it first or pick another --out\n$/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await run('export', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
    const occupied = join(work, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'notes.txt'), 'keep me');
    const { code, err } = await run('export', 'efficientnetv2-28-lite', '--num-classes', '10', '--format', 'graph-model', '--out', occupied);
    expect(code).toBe(2);
    expect(err).toMatch(/holds no model.json; pick an empty or new folder/);
    expect(readdirSync(occupied)).toEqual(['notes.txt']);
    expect(existsSync(join(work, 'missing'))).toBe(false);
  });

  it('effnet predict --backend onnx gives the probabilities of the cpu backend (1e-4)', async () => {
    const { dir, images } = await modelFolder();
    images.dispose();
    const pixels = Uint8Array.from({ length: 28 * 28 * 3 }, (_, i) => (i * 37) % 256);
    const png = join(work, 'image.png');
    writeFileSync(png, await encodePng(pixels, 28, 28, 3));
    const cpu = await run('predict', png, '--model', dir, '--backend', 'cpu', '--top', '10', '--json');
    const onnx = await run('predict', png, '--model', dir, '--backend', 'onnx', '--top', '10', '--json');
    expect(onnx.err).toBe('');
    const byIndex = (out: string) => Object.fromEntries((JSON.parse(out) as { predictions: { index: number; probability: number }[] }[])[0]!.predictions.map((p) => [p.index, p.probability]));
    const [a, b] = [byIndex(cpu.out), byIndex(onnx.out)];
    for (let c = 0; c < 10; c++) expect(Math.abs(a[c]! - b[c]!)).toBeLessThan(1e-4);
    await tf.setBackend('cpu');
  });

  it('prints its usage with --help', async () => {
    const { code, out } = await run('export', '--help');
    expect(code).toBe(0);
    expect(out).toMatch(/--format <format>.*\(choices: "onnx", "graph-model",\s+"torchvision", "timm"\)/s);
    expect(out).toMatch(/--quantize <dtype>/);
  });
});

// toGraphModel: tf.loadGraphModel runs the files with the logits of the model on the same backend
// within 1e-5 (cpu and wasm here; webgl in apps/web's Chromium harness), for both paddings, both
// families and EfficientDet-D0's raw outputs; shards are 4 MiB; quantised weights shrink the files.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EfficientDet, EfficientNet } from '@effnet/models';
import { detectorPreset, preset, scale, type ModelSpec, type PresetOverrides } from '@effnet/scaling';
import { loadGraphModelFiles } from '../../test/graph-model-loader.js';
import { maxAbsDiff } from '../../test/parity.js';
import { randomiseBatchNorms } from '../../test/randomise-state.js';
import { EffnetExportError } from '../errors.js';
import { SHARD_BYTES, toGraphModel } from './to-graph-model.js';

setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);
// Importing the wasm package registers it with a higher priority than cpu; start on cpu.
await tf.setBackend('cpu');

function classifier(name: string, overrides: PresetOverrides = {}, narrow = true): EfficientNet {
  const spec = preset(name, { numClasses: 10, ...overrides }) as ModelSpec;
  const model = new EfficientNet(narrow ? scale(spec, { width: 0.5, depth: 0.5, resolution: 1 }) : spec, { seed: 3 });
  randomiseBatchNorms(model.store, 7);
  return model;
}

async function logitsDiff(files: Map<string, Uint8Array>, model: EfficientNet, size: number): Promise<number> {
  const graph = await loadGraphModelFiles(files);
  const x = tf.randomUniform([2, size, size, 3], -2, 2, 'float32', 11) as tf.Tensor4D;
  const got = graph.execute(x) as tf.Tensor;
  const want = model.predict(x);
  expect(got.shape).toEqual(want.shape);
  const diff = maxAbsDiff(got.dataSync(), want.dataSync());
  tf.dispose([x, got, want]);
  graph.dispose();
  return diff;
}

describe.each(['cpu', 'wasm'])('toGraphModel on %s', (backend) => {
  it.each([
    ['efficientnet-b0', { padding: 'symmetric' }, 64],
    ['efficientnet-b0', { padding: 'same' }, 65],
    ['efficientnetv2-s', {}, 64],
    ['efficientnetv2-b0', {}, 63],
  ] as const)('%s %j at %i: tf.loadGraphModel gives the logits within 1e-5', async (name, overrides, size) => {
    await tf.setBackend(backend);
    const model = classifier(name, overrides);
    expect(await logitsDiff(toGraphModel(model, { height: size }), model, size)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('EfficientDet-D0 at 128: raw outputs within 1e-5, in the signature order', async () => {
    await tf.setBackend(backend);
    const detector = new EfficientDet(detectorPreset('efficientdet-d0', { numClasses: 6 }), { seed: 5 });
    randomiseBatchNorms(detector.store, 2);
    const graph = await loadGraphModelFiles(toGraphModel(detector, { height: 128 }));
    expect(graph.outputs.map((o) => o.name)).toEqual(['classLogits', 'boxDeltas']);
    const x = tf.randomUniform([1, 128, 128, 3], -2, 2, 'float32', 4) as tf.Tensor4D;
    const [classes, boxes] = graph.execute(x) as tf.Tensor[];
    const want = detector.forward(x, { training: false });
    expect(maxAbsDiff(classes!.dataSync(), want.classLogits.dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(boxes!.dataSync(), want.boxDeltas.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, classes!, boxes!, want.classLogits, want.boxDeltas]);
    graph.dispose();
    detector.dispose();
  });
});

describe('toGraphModel files', () => {
  it('shards the weights in 4 MiB pieces named as tensorflowjs_converter names them', async () => {
    await tf.setBackend('cpu');
    const model = classifier('efficientnet-b0', {}, false);
    const files = toGraphModel(model, { height: 32 });
    const names = [...files.keys()];
    expect(names[0]).toBe('model.json');
    expect(names.slice(1)).toEqual(Array.from({ length: 4 }, (_, i) => `group1-shard${i + 1}of4.bin`));
    expect(files.get("group1-shard1of4.bin")!.byteLength).toBe(SHARD_BYTES);
    const json = JSON.parse(new TextDecoder().decode(files.get('model.json')));
    expect(json.format).toBe('graph-model');
    expect(json.signature.inputs.images.tensorShape.dim.map((d: { size: string }) => d.size)).toEqual(['-1', '32', '32', '3']);
    model.dispose();
  });

  it('refuses a featuresOnly backbone and a bad quantize option', () => {
    const backbone = new EfficientNet(preset('efficientnet-b0'), { featuresOnly: true, shapeOnly: true });
    expect(() => toGraphModel(backbone)).toThrow(EffnetExportError);
    const model = classifier('efficientnet-b0');
    expect(() => toGraphModel(model, { quantize: { dtype: 'uint8' } as never })).toThrow(/quantize: expected/);
    model.dispose();
  });
});

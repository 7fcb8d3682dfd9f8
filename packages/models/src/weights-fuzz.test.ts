// Fuzz test of the weights readers (acceptance: ≥ 10,000 hostile files). Safetensors files are
// mutated where their structure lives (header bit flips at distinct bytes, truncation, header
// lengths up to 2^64, bad offsets, wrong dtypes, bad shapes, duplicate keys, gaps, trailing bytes,
// garbage) and imported into a model; model directories are mutated the same way (model.json bit
// flips, paths that leave the directory, bad weight specs, truncated or padded weight data) and
// loaded. Every case must throw EffnetWeightsError: no other error, no crash, no allocation from an
// unchecked size (a huge declared size would throw a RangeError instead). Flips inside the data
// section are not tested: they change values, which no reader can detect without a checksum.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { customSpec } from '@effnet/scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfficientNet } from './efficientnet.js';
import { EffnetWeightsError } from './errors.js';
import { artifactsFromDirectory } from './file-handler.js';
import { importWeights } from './import-weights.js';
import { writeSafetensors } from './safetensors.js';
import { torchvisionNames } from './weight-names.js';
import { loadWeights, saveWeights } from './weights-io.js';

/** xorshift32: the fuzz is reproducible. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const spec = customSpec({ blocks: ['r1_k3_s1_e1_i8_o8_c1', 'r1_k3_s2_e4_i8_o8_se0.25'], head: { channels: 16, scaleWithWidth: false }, numClasses: 2, resolution: 16 } as never);
let model: EfficientNet;
let base: Uint8Array;
let headerSize: number;
let header: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
let modelJson: Uint8Array;
let weightsBin: Uint8Array;

const counts: Record<string, number> = {};
const failures: string[] = [];

function expectWeightsError(kind: string, run: () => unknown): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
  try {
    run();
    failures.push(`${kind} #${counts[kind]}: accepted`);
  } catch (error) {
    if (!(error instanceof EffnetWeightsError)) failures.push(`${kind} #${counts[kind]}: ${String(error)}`);
  }
}

async function expectWeightsErrorAsync(kind: string, run: () => Promise<unknown>, detail = ''): Promise<void> {
  counts[kind] = (counts[kind] ?? 0) + 1;
  try {
    await run();
    failures.push(`${kind} #${counts[kind]}: accepted ${detail}`);
  } catch (error) {
    if (!(error instanceof EffnetWeightsError)) failures.push(`${kind} #${counts[kind]}: ${String(error)}`);
  }
}

/** A safetensors file from a (possibly hostile) header object and a data section. */
function withHeader(json: string, data: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

function flipDistinctBytes(bytes: Uint8Array, rng: ReturnType<typeof random>, from: number, to: number, flips: number): Uint8Array {
  const out = bytes.slice();
  const positions = new Set<number>();
  while (positions.size < flips) positions.add(from + rng.int(to - from));
  for (const p of positions) out[p]! ^= 1 << rng.int(8);
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = new EfficientNet(spec, { seed: 1 });
  const rng = random(11);
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [ours, [theirs, layout]] of torchvisionNames(spec)) {
    const s = model.namedVariables()[ours]!.shape;
    const shape = layout === 'conv' ? [s[3]!, s[2]!, s[0]!, s[1]!] : layout === 'depthwise' ? [s[2]!, 1, s[0]!, s[1]!] : layout === 'linear' ? [s[1]!, s[0]!] : [...s];
    tensors.set(theirs, { shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()) });
  }
  base = writeSafetensors(tensors);
  importWeights(model, base); // the unmutated file is valid
  headerSize = Number(new DataView(base.buffer).getBigUint64(0, true));
  header = JSON.parse(new TextDecoder().decode(base.subarray(8, 8 + headerSize)));
  let saved: tf.io.ModelArtifacts | undefined;
  await saveWeights(model, tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  modelJson = new TextEncoder().encode(JSON.stringify({ format: saved!.format, generatedBy: saved!.generatedBy, modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs }] }));
  weightsBin = new Uint8Array(saved!.weightData as ArrayBuffer);
});

afterAll(() => {
  model.dispose();
});

/** An in-memory model directory read through the same code as the file:// handler. */
function directory(files: Map<string, Uint8Array>) {
  return {
    load: () =>
      artifactsFromDirectory({
        manifest: async () => files.get('model.json')!,
        size: async (p) => {
          const f = files.get(p);
          if (!f || p === 'model.json') throw new EffnetWeightsError('memory', `no file '${p}'`);
          return f.byteLength;
        },
        read: async (p, into) => into.set(files.get(p)!),
      }),
  };
}

describe('weights readers under hostile input', () => {
  it('every one of ≥ 10,000 mutated safetensors files and model directories throws EffnetWeightsError', async () => {
    const rng = random(2026);
    const data = base.subarray(8 + headerSize);
    const names = Object.keys(header);
    const importIt = (bytes: Uint8Array) => () => importWeights(model, bytes, { from: 'torchvision' });
    const editHeader = (edit: (h: Record<string, Record<string, unknown>>, name: string) => void) => {
      const h = JSON.parse(JSON.stringify(header));
      edit(h, rng.pick(names));
      return withHeader(JSON.stringify(h), data);
    };

    // Safetensors.
    for (let i = 0; i < 3000; i++) expectWeightsError('header bit flips', importIt(flipDistinctBytes(base, rng, 0, 8 + headerSize, 1 + rng.int(3))));
    for (let i = 0; i < 1500; i++) expectWeightsError('truncations', importIt(base.slice(0, rng.int(base.length))));
    for (let i = 0; i < 1000; i++) {
      const bytes = base.slice();
      const view = new DataView(bytes.buffer);
      const choice = rng.int(5);
      const value = [
        BigInt(rng.int(2 ** 32)) * 2n ** 32n + BigInt(rng.int(2 ** 32)),
        2n ** 63n + BigInt(rng.int(2 ** 30)),
        BigInt(Math.max(0, headerSize + 1 + rng.int(16))),
        BigInt(Math.max(0, headerSize - 1 - rng.int(16))),
        BigInt(base.length - 8 + rng.int(4096)),
      ][choice]!;
      view.setBigUint64(0, value === BigInt(headerSize) ? value + 1n : value, true);
      expectWeightsError('header lengths', importIt(bytes));
    }
    const badOffsets = (end: number): unknown[] => [[-1, end], [end, end - 4], [0, end], [0, 2 ** 53], [1.5, end], ['0', end], [end], [0, end, 1], null, [end + 4, end + 8], [rng.int(2 ** 31), rng.int(2 ** 31)]];
    for (let i = 0; i < 1000; i++) {
      expectWeightsError('bad offsets', importIt(editHeader((h, name) => {
        const [begin, end] = h[name]!['data_offsets'] as number[];
        const options = badOffsets(end!).filter((o) => JSON.stringify(o) !== JSON.stringify([begin, end]));
        h[name]!['data_offsets'] = rng.pick(options);
      })));
    }
    const dtypes: unknown[] = ['I32', 'I64', 'F16', 'BF16', 'F64', 'U8', 'BOOL', 'f32', '', null, 42, 'F32 ', '__proto__', 'constructor', 'toString', ['F32'], { dtype: 'F32' }];
    for (let i = 0; i < 800; i++) expectWeightsError('wrong dtypes', importIt(editHeader((h, name) => { h[name]!['dtype'] = rng.pick(dtypes); })));
    const shapes: unknown[] = [[2 ** 40, 2 ** 40], [-1], [1.5], ['a'], [], [1, 1, 1, 1, 1, 1, 1, 1, 1], [0], [2 ** 53], null, 'x', [rng.int(100) + 1, rng.int(100) + 1]];
    for (let i = 0; i < 700; i++) {
      expectWeightsError('bad shapes', importIt(editHeader((h, name) => {
        const shape = rng.pick(shapes);
        h[name]!['shape'] = JSON.stringify(shape) === JSON.stringify(h[name]!['shape']) ? [2 ** 40] : shape;
      })));
    }
    for (let i = 0; i < 500; i++) {
      const json = JSON.stringify(header);
      const structural: (() => Uint8Array)[] = [
        () => {
          // A duplicate key with another tensor's entry (JSON.parse keeps the last one: a gap or an overlap).
          const name = rng.pick(names);
          const other = rng.pick(names.filter((n) => n !== name && JSON.stringify(header[n]!.data_offsets) !== JSON.stringify(header[name]!.data_offsets)));
          return withHeader(`${json.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(header[other])}}`, data);
        },
        () => { const tail = new Uint8Array(data.length + 1 + rng.int(64)); tail.set(data); return withHeader(json, tail); },
        () => withHeader(JSON.stringify(Object.fromEntries(names.map((n) => [n, { ...header[n], data_offsets: header[n]!.data_offsets.map((o) => o + 4) }]))), new Uint8Array(data.length + 4)),
        () => withHeader(rng.pick(['[]', '"x"', '42', 'null', '{"a":null}', '{"a":[]}', '{"__metadata__":{"a":1}}', '{"__metadata__":[]}', '{', '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}']), data),
        () => Uint8Array.from({ length: rng.int(256) }, () => rng.int(256)),
        () => new Uint8Array(0),
        () => { const bytes = base.slice(); bytes[8] = 0x5b; return bytes; },
      ];
      expectWeightsError('structural', importIt(rng.pick(structural)()));
    }

    // Model directories (model.json + weights.bin).
    const load = (files: Map<string, Uint8Array>) => () => loadWeights(model, directory(files));
    for (let i = 0; i < 1000; i++) {
      const flipped = flipDistinctBytes(modelJson, rng, 0, modelJson.length, 1 + rng.int(3));
      const changed = [...flipped].flatMap((b, at) => (b === modelJson[at] ? [] : [`${at}: ${JSON.stringify(new TextDecoder().decode(modelJson.subarray(at - 20, at + 20)))} → ${JSON.stringify(new TextDecoder().decode(flipped.subarray(at - 20, at + 20)))}`]));
      await expectWeightsErrorAsync('model.json bit flips', load(new Map([['model.json', flipped], ['weights.bin', weightsBin]])), changed.join('; '));
    }
    const json = JSON.parse(new TextDecoder().decode(modelJson));
    const fragments = ['weights.bin', 'sub', '%2e%2e', '~', 'a b', 'x.bin', '..', '.', 'C:', 'file:', '\\\\server'];
    // Each path gets at least one way out of the directory: a `..` or `.` segment, an empty segment,
    // an absolute or drive or URL prefix, backslashes or a NUL.
    const escapes: ((parts: string[]) => string)[] = [
      (parts) => { parts.splice(rng.int(parts.length + 1), 0, '..'); return parts.join('/'); },
      (parts) => `/${parts.join('/')}`,
      (parts) => `${rng.pick(['C:', 'c:\\', 'file:///', 'http://x/', '\\\\server\\'])}${parts.join('/')}`,
      (parts) => [rng.pick(['..', 'sub']), ...parts].join('\\'),
      (parts) => { parts.splice(rng.int(parts.length + 1), 0, rng.pick(['', '.'])); return parts.join('/'); },
      (parts) => `${parts.join('/')}\0`,
    ];
    for (let i = 0; i < 300; i++) {
      const parts = Array.from({ length: 1 + rng.int(4) }, () => rng.pick(fragments));
      const path = rng.pick(escapes)(parts);
      const edited = { ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: [path] }] };
      const files = new Map([['model.json', new TextEncoder().encode(JSON.stringify(edited))], ['weights.bin', weightsBin], [path, weightsBin]]);
      await expectWeightsErrorAsync('path traversal', load(files), JSON.stringify(path));
    }
    for (let i = 0; i < 500; i++) {
      const weights = JSON.parse(JSON.stringify(json.weightsManifest[0].weights)) as Record<string, unknown>[];
      const k = rng.int(weights.length);
      let bin = weightsBin;
      const edits: (() => void)[] = [
        () => { weights[k]!['dtype'] = rng.pick(['int32', 'float16', 'string', 'bool', 'complex64', null, 1]); },
        () => { weights[k]!['quantization'] = { dtype: 'uint8', scale: 1, min: 0 }; },
        () => { weights[k]!['shape'] = rng.pick([[2 ** 40], [-1], [1.5], null, [2 ** 26, 2 ** 26]]); },
        () => { weights[k]!['name'] = weights[(k + 1) % weights.length]!['name']; },
        () => { weights.splice(k, 1); },
        () => { bin = weightsBin.slice(0, rng.int(weightsBin.length)); },
        () => { bin = new Uint8Array(weightsBin.length + 4 * (1 + rng.int(8))); bin.set(weightsBin); },
        () => { weights[k]!['name'] = `${String(weights[k]!['name'])}.x`; },
      ];
      rng.pick(edits)();
      const edited = { ...json, weightsManifest: [{ paths: ['weights.bin'], weights }] };
      await expectWeightsErrorAsync('weight specs', load(new Map([['model.json', new TextEncoder().encode(JSON.stringify(edited))], ['weights.bin', bin]])));
    }

    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`weights fuzz: ${total} cases (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}), ${failures.length} not refused with EffnetWeightsError`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});

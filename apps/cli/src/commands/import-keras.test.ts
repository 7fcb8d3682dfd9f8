// `effnet import --from keras` then `effnet predict`: a keras.applications EfficientNetB0
// .weights.h5 (fixtures-full/keras, written by `npm run fixtures`) becomes a model folder whose
// predictions on a PNG of Keras' reference input are Keras' own (top-1 ImageNet name and softmax
// probability of Keras' logits), Keras' built-in preprocessing included. Without the fixtures the
// test is skipped with a printed reason, unless CI is set, where it fails.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGENET_CLASSES, readSafetensors } from '@effnet/models';
import { runCli } from '../../test/cli-runner.js';
import { encodePng } from '@effnet/data';

const KERAS = join(import.meta.dirname, '..', '..', '..', '..', 'fixtures-full', 'keras');
const present = existsSync(KERAS);
if (!present && !process.env['CI']) console.warn(`effnet import --from keras skipped: ${KERAS} is missing; run tools/fixtures/reference-env.sh, then \`npm run fixtures\``);
const dir = mkdtempSync(join(tmpdir(), 'effnet-keras-'));

const run = runCli;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('effnet import --from keras', () => {
  it.runIf(Boolean(process.env['CI']))('has its fixtures on CI', () => {
    expect(existsSync(KERAS), KERAS).toBe(true);
  });

  it.skipIf(!present)('imports EfficientNetB0.weights.h5, and predict names Keras’ top-1 ImageNet class with Keras’ probability', async () => {
    const reference = readSafetensors(new Uint8Array(readFileSync(join(KERAS, 'EfficientNetB0.reference.safetensors'))));
    const input = reference.get('input')!;
    const size = input.shape[1]!;
    const out = join(dir, 'b0');
    const imported = await run('import', join(KERAS, 'EfficientNetB0.weights.h5'), '--from', 'keras', '--preset', 'efficientnet-b0', '--out', out, '--resolution', String(size), '--backend', 'cpu');
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/\(Keras weights\) as efficientnet-b0 \(5,288,548 parameters, 96px\)/);
    const png = join(dir, 'input.png');
    writeFileSync(png, await encodePng(Uint8Array.from(input.values), size, size, 3));
    const predicted = await run('predict', '--model', out, '--backend', 'cpu', '--top', '1', '--json', png);
    expect(predicted.code).toBe(0);
    const [{ predictions }] = JSON.parse(predicted.out) as [{ predictions: { index: number; name: string; probability: number }[] }];
    const logits = Array.from(reference.get('logits')!.values);
    const best = logits.indexOf(Math.max(...logits));
    const z = logits.reduce((sum, l) => sum + Math.exp(l - logits[best]!), 0);
    expect(predictions[0]).toMatchObject({ index: best, name: IMAGENET_CLASSES[best] });
    expect(predictions[0]!.probability).toBeCloseTo(1 / z, 5);
    // A torchvision or timm preset name with a Keras file of another architecture is refused with nothing written.
    const wrong = await run('import', join(KERAS, 'EfficientNetB0.weights.h5'), '--from', 'keras', '--preset', 'efficientnet-b1', '--out', join(dir, 'wrong'), '--backend', 'cpu');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(/keras weights: \d+ problem\(s\) for efficientnet-b1/);
    expect(existsSync(join(dir, 'wrong'))).toBe(false);
  }, 300_000);
});

// Ctrl-C during `effnet train` (a real child process sent SIGINT) writes a checkpoint and exits
// with 130, and `--resume` finishes the run from it; `effnet import` of torchvision's seeded B0
// weights followed by `effnet eval` and `effnet predict` works end to end.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { IMAGENET_CLASSES, efficientnet, importTorchvision, loadModel } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '@effnet/train/node';
import { ROOT, interruptAfterSteps, runCli, startCli } from '../../test/cli-runner.js';
import { decodeImage } from '@effnet/data';
import '../register-backends.js';

const B0 = join(ROOT, 'fixtures-full/efficientnet_b0.safetensors');

const run = runCli;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-cli-int-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Ctrl-C during effnet train', () => {
  it('writes a checkpoint, exits with 130, and --resume finishes the run', async () => {
    const out = join(dir, 'interrupted');
    const args = ['train', '--out', out, '--backend', 'wasm', '--limit-per-class', '8', '--batch', '8', '--epochs', '3', '--stages', '3',
      '--from-size', '14', '--to-size', '20', '--checkpoint-every', '1000', '--stage-eval', '0', '--samples', '0', '--seed', '5'];
    // A real child process, so SIGINT reaches effnet's handler; Ctrl-C after the second step.
    const child = startCli(args);
    const metrics = join(out, 'metrics.jsonl');
    expect(await interruptAfterSteps(child, metrics, 2)).toBe(130);
    expect(child.output()).toMatch(/Ctrl-C: stopping after this step/);
    const steps = readMetrics(metrics).filter((r) => r.type === 'step').length;
    expect(steps).toBeGreaterThanOrEqual(2);
    expect(steps).toBeLessThan(30);
    // The checkpoint of the step the run stopped at (not a stage end: stages end at 10 and 20).
    const checkpoints = readdirSync(join(out, 'checkpoints'));
    expect(checkpoints).toContain(`step-${String(steps).padStart(9, '0')}`);
    expect(existsSync(join(out, 'model'))).toBe(false);

    const before = tf.memory().numTensors;
    const resumed = await run(...args, '--resume', '--json');
    expect(resumed.err).toMatch(new RegExp(`resumed from step ${steps} of 30`));
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.out).steps).toBe(30);
    expect(readMetrics(metrics).filter((r) => r.type === 'step').map((r) => (r.type === 'step' ? r.step : 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);
});

const noFixture = !existsSync(B0);
if (noFixture) console.log(`skipping the import test: ${B0} is missing (run \`npm run fixtures\`; CI generates it)`);

describe.skipIf(noFixture)('effnet import, then eval and predict', () => {
  it('imports torchvision’s seeded B0 and classifies images exactly as the in-memory import does', async () => {
    const out = join(dir, 'b0');
    // The fixture keeps torchvision's reference input, logits and feature maps beside the weights.
    const references = ['input', 'logits', ...[2, 4, 8, 16, 32].map((s) => `feature.stride${s}`)];
    const imported = await run('import', B0, '--preset', 'efficientnet-b0', '--out', out, '--resolution', '64', '--backend', 'wasm', '--json', '--ignore', ...references);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ format: 'torchvision', preset: 'efficientnet-b0', params: 5_288_548, imageSize: 64 });

    // A two-class image folder of four generated pictures.
    const folder = join(dir, 'pictures');
    const files: string[] = [];
    // Named as the imported model's classes (ImageNet's 0 and 1): eval matches folders to classes by name.
    for (const [c, name] of [IMAGENET_CLASSES[0]!, IMAGENET_CLASSES[1]!].entries()) {
      mkdirSync(join(folder, name), { recursive: true });
      for (let i = 0; i < 2; i++) {
        const pixels = Buffer.alloc(48 * 48 * 3);
        for (let p = 0; p < pixels.length; p++) pixels[p] = (p * (7 + 3 * i + 11 * c)) % 251;
        const file = join(folder, name, `${i}.${i === 0 ? 'png' : 'jpg'}`);
        const image = sharp(pixels, { raw: { width: 48, height: 48, channels: 3 } });
        writeFileSync(file, await (i === 0 ? image.png() : image.jpeg({ quality: 95 })).toBuffer());
        files.push(file);
      }
    }
    const evaluated = await run('eval', out, '--data', folder, '--backend', 'wasm', '--json');
    expect(evaluated.code).toBe(0);
    const evaluation = JSON.parse(evaluated.out) as { count: number; top1: number; top5: number };
    expect(evaluation.count).toBe(4);

    const predicted = await run('predict', '--model', out, '--backend', 'wasm', '--top', '5', '--json', ...files);
    expect(predicted.code).toBe(0);
    const results = JSON.parse(predicted.out) as { predictions: { index: number; probability: number }[] }[];

    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const model = efficientnet(preset('efficientnet-b0', { resolution: 64 }) as ModelSpec);
    importTorchvision(model, readFileSync(B0), { ignore: references });
    const mean = tf.tensor1d([0.485, 0.456, 0.406]);
    const std = tf.tensor1d([0.229, 0.224, 0.225]);
    for (const [i, file] of files.entries()) {
      const pixels = await decodeImage(file, { size: 64, channels: 3 });
      const probs = tf.tidy(() => tf.softmax(model.predict(tf.div(tf.sub(tf.div(tf.tensor4d(pixels, [1, 64, 64, 3], 'float32'), 255), mean), std) as tf.Tensor4D)));
      const values = Array.from(await probs.data());
      probs.dispose();
      const best = values.indexOf(Math.max(...values));
      expect(results[i]!.predictions[0]!.index, file).toBe(best);
      expect(results[i]!.predictions[0]!.probability).toBeCloseTo(values[best]!, 5);
    }
    // eval's top-5 counts the images whose folder index (0 or 1) is among the five best classes.
    const hits5 = results.filter((r, i) => r.predictions.some((p) => p.index === (i < 2 ? 0 : 1))).length;
    expect(evaluation.top5).toBe(hits5 / 4);
    // The imported folder is @effnet/models' format: its published loadModel gives the same weights.
    const published = await loadModel(`file://${join(out, 'model')}`);
    const theirs = published.namedVariables();
    for (const [name, variable] of Object.entries(model.namedVariables())) expect(Array.from(theirs[name]!.dataSync()), name).toEqual(Array.from(variable.dataSync()));
    published.dispose();
    tf.dispose([mean, std]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);
});

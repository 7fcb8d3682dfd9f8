// Command line of the detection data tools:
//   generate <folder> [--count N] [--size S] [--seed K]   write a COCO-format folder (instances.json
//         + images/), the input of `effnet detect train|eval`
//   train [--minutes M] [--backend wasm|cpu] [--out file.json] [--train N] [--val N] [--seed K]
//         [--save folder]  generate train/held-out sets in memory, train a small EfficientDet,
//         print and save AP; --save writes detector.json + weights.safetensors for `effnet detect`;
//         --data <folder> --val-data <folder> train on COCO-format folders instead (as `effnet
//         detect train` does, which is the command for that);
//         --steps N fixes the length of the run (default: what fits in --minutes); --ema D evaluates
//         an EMA of the weights; --checkpoints <dir> keeps the Trainer's last checkpoint there.
//         Training runs through @effnet/train's Trainer (see train-detector.ts).
// Run with: npx tsx --tsconfig tsconfig.base.json tools/detection-data/src/cli.ts <command> …
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone has no gradient functions; the Node build of @tensorflow/tfjs registers them.
import '@tensorflow/tfjs';
import '@effnet/backend-wasm';
import { useBackend } from '@effnet/backends';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DETECTOR_FORMAT, DETECTOR_FORMAT_VERSION, detectorToSafetensors, type CustomDetectorOptions, type DetectorManifest, type EfficientDet } from '@effnet/models';
import { parseArgs } from 'node:util';
import writeFileAtomic from 'write-file-atomic';
import { loadCocoSamples, writeCocoDetectionSet } from './coco-format.js';
import { generateDetectionSet, type DetectionSample } from './generate.js';
import { loadPhotographs } from './photographs.js';
import { SHAPE_CLASSES } from './shapes.js';
import { trainDetector } from './train-detector.js';

async function saveDetector(folder: string, model: EfficientDet, classes: readonly string[]): Promise<void> {
  await mkdir(folder, { recursive: true });
  const manifest: DetectorManifest = { format: DETECTOR_FORMAT, version: DETECTOR_FORMAT_VERSION, spec: model.spec, classes: [...classes] };
  const weights = await detectorToSafetensors(model);
  await writeFileAtomic(join(folder, 'weights.safetensors'), Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength));
  await writeFileAtomic(join(folder, 'detector.json'), `${JSON.stringify(manifest)}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      count: { type: 'string', default: '200' },
      size: { type: 'string', default: '64' },
      seed: { type: 'string', default: '1' },
      minutes: { type: 'string', default: '8' },
      backend: { type: 'string', default: 'wasm' },
      out: { type: 'string' },
      train: { type: 'string', default: '2000' },
      val: { type: 'string', default: '500' },
      batch: { type: 'string', default: '8' },
      lr: { type: 'string', default: '0.004' },
      save: { type: 'string' },
      data: { type: 'string' },
      'val-data': { type: 'string' },
      detector: { type: 'string', default: '{}' },
      'min-side': { type: 'string', default: '0.35' },
      'max-side': { type: 'string', default: '0.6' },
      warmup: { type: 'string', default: '30' },
      steps: { type: 'string' },
      ema: { type: 'string', default: '0' },
      checkpoints: { type: 'string' },
    },
  });
  const size = Number(values.size);
  const seed = Number(values.seed);
  const photographs = command === 'train' && values.data ? [] : await loadPhotographs();
  if (command === 'generate') {
    const folder = positionals[0];
    if (!folder) throw new Error('usage: generate <folder> [--count N] [--size S] [--seed K]');
    const samples = generateDetectionSet(photographs, { count: Number(values.count), size, seed, minSide: Number(values['min-side']), maxSide: Number(values['max-side']) });
    await writeCocoDetectionSet(folder, samples, SHAPE_CLASSES, size);
    console.log(`wrote ${samples.length} images and instances.json (COCO format) to ${folder}`);
    return;
  }
  if (command === 'train') {
    const t0 = performance.now();
    await useBackend(values.backend!);
    const shapes = { minSide: Number(values['min-side']), maxSide: Number(values['max-side']) };
    let classes: string[] = [...SHAPE_CLASSES];
    let train: DetectionSample[];
    let validation: DetectionSample[];
    if (values.data) {
      // Data sets on disk (COCO-format folders) instead of generated ones.
      if (!values['val-data']) throw new Error('--data needs --val-data <folder> with the held-out images');
      const loaded = await loadCocoSamples(values.data, size);
      const held = await loadCocoSamples(values['val-data'], size);
      if (JSON.stringify(held.classes) !== JSON.stringify(loaded.classes)) throw new Error(`--val-data has classes ${held.classes.join(', ')}, --data has ${loaded.classes.join(', ')}`);
      ({ classes } = loaded);
      train = loaded.samples;
      validation = held.samples;
    } else {
      train = generateDetectionSet(photographs, { count: Number(values.train), size, seed, ...shapes });
      // Held-out images come from a different seed: new crops, shapes, colours and places.
      validation = generateDetectionSet(photographs, { count: Number(values.val), size, seed: seed + 1_000_003, ...shapes });
    }
    console.log(`backend ${values.backend}; ${train.length} training and ${validation.length} held-out images of ${size}×${size} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const report = await trainDetector({
      train, validation, size, numClasses: classes.length, seconds: Number(values.minutes) * 60, batch: Number(values.batch), learningRate: Number(values.lr), warmupSteps: Number(values.warmup), seed,
      detector: JSON.parse(values.detector!) as CustomDetectorOptions, onLog: (line) => console.log(line),
      maxSteps: values.steps === undefined ? undefined : Number(values.steps), ema: Number(values.ema) || undefined, checkpointDir: values.checkpoints,
      onTrained: values.save ? (model) => saveDetector(values.save!, model, classes) : undefined,
    });
    const totalSeconds = (performance.now() - t0) / 1000;
    console.log(`${report.spec.name}: ${report.params} parameters; total wall time ${totalSeconds.toFixed(0)} s`);
    if (values.out) {
      const { metrics, spec, ...rest2 } = report;
      const summary = { backend: values.backend, size, seed, ema: Number(values.ema) || null, trainImages: train.length, heldOutImages: validation.length, totalSeconds, ...rest2, detector: spec, ap: metrics.ap, ap50: metrics.ap50, ap75: metrics.ap75, apPerClass: Object.fromEntries(metrics.apPerClass) };
      await writeFileAtomic(values.out, `${JSON.stringify(summary, null, 2)}\n`);
    }
    return;
  }
  throw new Error(`unknown command '${String(command)}'; use 'generate' or 'train'`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

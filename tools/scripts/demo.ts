// `npm run demo`: the main job. Trains the small EfficientNetV2-style preset `efficientnetv2-28-lite`
// on Fashion-MNIST on the wasm backend with a 3-stage progressive plan (16 → 22 → 28 px, dropout
// 0 → 0.1; SGD with Nesterov momentum at batch 128, warm-up then cosine to 0, label smoothing 0.1,
// EMA of the weights; 7 epochs, one replica per core, as `effnet train` defaults), evaluates the EMA weights on the held-out 10,000 images, writes the run folder
// (model, checkpoints, metrics.jsonl, report.html) to tmp/demo, then saves a few test images as
// PNG files and classifies them with `effnet predict` — every long step with a progress bar. It
// ends by checking that the whole run left no tensor behind.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import writeFileAtomic from 'write-file-atomic';
import { main } from '@effnet/cli';
import { encodePng, fashionMnist } from '@effnet/data';

const OUT = process.env['EFFNET_DEMO_OUT'] ?? 'tmp/demo';
const say = (text: string) => process.stdout.write(`${text}\n`);
const started = performance.now();

const train = [
  'train', '--preset', 'efficientnetv2-28-lite', '--data', 'fashion-mnist', '--backend', 'wasm', '--out', OUT,
  '--stages', '3', '--from-size', '16', '--to-size', '28', '--epochs', process.env['EFFNET_DEMO_EPOCHS'] ?? '7',
  '--batch', '128', '--optimizer', 'sgd', '--lr', '0.4', '--warmup', '100', '--weight-decay', '0.00005', '--ema', '0.99',
  '--dropout', '0:0.1', '--label-smoothing', '0.1', '--seed', '0',
];
say(`effnet demo: train efficientnetv2-28-lite on Fashion-MNIST (wasm backend, 3-stage progressive plan 16 → 22 → 28 px)\n$ effnet ${train.join(' ')}\n`);
const tensorsBefore = tf.memory().numTensors;
let status = await main(['node', 'effnet', ...train]);

if (status === 0) {
  const test = fashionMnist({ split: 'test' });
  const folder = join(OUT, 'samples');
  mkdirSync(folder, { recursive: true });
  const files: string[] = [];
  for (const index of [0, 1111, 2222, 3333, 4444, 5555, 6666, 7777]) {
    const { image, label } = test.example(index);
    const file = join(folder, `test-${index}-${test.classNames[label]!.replace(/\W+/g, '-').toLowerCase()}.png`);
    writeFileAtomic.sync(file, await encodePng(image, 28, 28, 1));
    files.push(file);
  }
  say(`\n$ effnet predict --model ${OUT} ${join(folder, '*.png')}   (file names carry the true class)`);
  status = await main(['node', 'effnet', 'predict', '--model', OUT, '--backend', 'wasm', ...files]);
}

const leaked = tf.memory().numTensors - tensorsBefore;
if (status === 0 && leaked !== 0) {
  say(`error: the demo left ${leaked} tensors behind`);
  status = 1;
}
say(`\ndemo ${status === 0 ? 'finished' : 'failed'} in ${((performance.now() - started) / 1000).toFixed(0)} s; tensors left behind: ${leaked}; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
if (status === 0) say(`open ${join(OUT, 'report.html')} in a browser for the plots, the confusion matrix and the test images`);
process.exitCode = status;

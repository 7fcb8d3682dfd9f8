// A predict with effnet's replacement wasm kernels against the same predict with tfjs-backend-wasm's
// own (the stock kernels @effnet/backend-wasm keeps as fallbacks), in one process: the named
// registrations are swapped between calls, in pairs of alternating order, so that a busy shared
// machine slows both sides alike. A kernel effnet adds (EffnetSilu) is unregistered on the stock
// side, where its callers compose tfjs ops instead. Prints both medians and the median of the
// per-pair ratios.
//   npx tsx --tsconfig tsconfig.base.json tools/bench/src/stock-vs-effnet.ts [--kernels Conv2D,FusedConv2D,EffnetSilu] [--pairs 40] [--preset efficientnet-b0 --size 224 --batch 1]
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import { WASM_GRADIENT_KERNELS, WASM_REPLACEMENT_KERNELS } from '@effnet/backend-wasm';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { median } from './bench-report.js';
import { option } from './script-option.js';

const KERNELS = option('kernels', 'DepthwiseConv2dNative,FusedDepthwiseConv2D,Conv2D,FusedConv2D,EffnetSilu').split(',');
const PAIRS = Number(option('pairs', '40'));
const PRESET = option('preset', 'efficientnet-b0');
const SIZE = Number(option('size', '224'));
const BATCH = Number(option('batch', '1'));

await useBackend('wasm');
/** A kernel's registration on one side of the comparison: null where that side has none. */
interface Registration {
  name: string;
  config: tf.KernelConfig | null;
}

const sides = KERNELS.map((name) => {
  const added = WASM_GRADIENT_KERNELS.find((k) => k.kernelName === name);
  if (added !== undefined) return { name, effnet: tf.getKernel(name, 'wasm')!, stock: null };
  const entry = WASM_REPLACEMENT_KERNELS.find((k) => k.config.kernelName === name);
  if (entry === undefined) {
    const names = [...WASM_REPLACEMENT_KERNELS.map((k) => k.config.kernelName), ...WASM_GRADIENT_KERNELS.map((k) => k.kernelName)];
    throw new Error(`--kernels: '${name}' is not one of @effnet/backend-wasm's kernels (${names.join(', ')})`);
  }
  const stock: tf.KernelConfig = { kernelName: name, backendName: 'wasm', kernelFunc: (args) => entry.stock.run(args, 'every call (the stock side of this comparison)') };
  return { name, effnet: tf.getKernel(name, 'wasm')!, stock };
});
const effnet: Registration[] = sides.map((side) => ({ name: side.name, config: side.effnet }));
const stock: Registration[] = sides.map((side) => ({ name: side.name, config: side.stock }));
const use = (configs: Registration[]) => {
  for (const { name, config } of configs) {
    if (tf.getKernel(name, 'wasm') !== undefined) tf.unregisterKernel(name, 'wasm');
    if (config !== null) tf.registerKernel(config);
  }
};

const model = efficientnet(preset(PRESET) as ModelSpec, { seed: 1 });
const x = tf.randomUniform([BATCH, SIZE, SIZE, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
const call = async (configs: Registration[]): Promise<number> => {
  use(configs);
  const started = performance.now();
  const logits = model.predict(x);
  await logits.data();
  logits.dispose();
  return performance.now() - started;
};

for (let i = 0; i < 4; i++) for (const side of [stock, effnet]) await call(side);
const stockMs: number[] = [];
const effnetMs: number[] = [];
const ratios: number[] = [];
for (let i = 0; i < PAIRS; i++) {
  let a: number;
  let b: number;
  if (i % 2) {
    a = await call(stock);
    b = await call(effnet);
  } else {
    b = await call(effnet);
    a = await call(stock);
  }
  stockMs.push(a);
  effnetMs.push(b);
  ratios.push(b / a);
}
use(effnet);
console.log(`${PRESET}, ${SIZE} px, batch ${BATCH}, predict() on wasm, ${PAIRS} pairs; stock and effnet's ${KERNELS.join(', ')}:`);
console.log(`stock ${median(stockMs).toFixed(1)} ms, effnet ${median(effnetMs).toFixed(1)} ms, median per-pair ratio effnet / stock ${median(ratios).toFixed(3)}`);
tf.dispose([x]);
model.dispose();

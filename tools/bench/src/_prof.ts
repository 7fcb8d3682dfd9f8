import * as tf from '@tensorflow/tfjs-core';
import '@effnet/backend-wasm';
import { useBackend } from '@effnet/backends';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
await useBackend('wasm');
const model = efficientnet(preset('efficientnet-b0') as ModelSpec, { seed: 1 });
const x = tf.randomUniform([1, 224, 224, 3], -1, 1) as tf.Tensor4D;
for (let i = 0; i < 10; i++) { const y = model.predict(x); await y.data(); y.dispose(); }
const cat = new Map<string, [number, number]>();
const R = 5;
for (let r = 0; r < R; r++) {
  const info = await tf.profile(async () => { const y = model.predict(x); await y.data(); y.dispose(); });
  for (const k of info.kernels) {
    if (k.name.endsWith('__op') || k.name === 'unnamed scope') continue;
    const s = k.inputShapes[0] ?? [];
    let key = k.name;
    if (k.name === 'FusedConv2D') key = s[1] === 1 ? 'FusedConv2D SE (1 pixel)' : s[3] === 3 ? 'FusedConv2D stem' : 'FusedConv2D 1x1';
    if (k.name === 'FusedDepthwiseConv2D') key += ` ${k.inputShapes[1]![0]}x${k.inputShapes[1]![0]}`;
    const t = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = cat.get(key) ?? [0, 0]; e[0] += t / R; e[1] += 1 / R; cat.set(key, e);
  }
}
for (const [k, [t, n]] of [...cat].sort((a, b) => b[1][0] - a[1][0])) console.log(t.toFixed(2).padStart(6), 'ms', String(n).padStart(4), 'calls', k);

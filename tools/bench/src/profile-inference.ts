// Profiles one evaluation-mode predict of a classifier preset (default EfficientNet-B0 at 224,
// batch 1) on a backend (wasm by default), per kernel, on both paths of predict(): the fused
// inference form (the default) and the plain modules (`{ fused: false }`). tf.profile() of
// --profiled calls (3) after warm-up calls; kernel times are summed by kernel name and averaged over
// those calls, largest first, with the call counts of each path side by side.
// Not a test: run it by hand,
//   npx tsx --tsconfig tsconfig.base.json tools/bench/src/profile-inference.ts [--preset efficientnet-b0] [--backend wasm] [--batch 1] [--size 224] [--top 20] [--runs 5] [--profiled 3]
// Each path is also timed without the profiler (median of --runs calls, the paths alternating),
// because the profiler reads every kernel's output back and so inflates the wall time.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { efficientnet } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { median } from './bench-report.js';
import { kernelProfile } from './kernel-profile.js';
import { option } from './script-option.js';

const PRESET = option('preset', 'efficientnet-b0');
const BACKEND = option('backend', 'wasm');
const BATCH = Number(option('batch', '1'));
const SIZE = Number(option('size', '224'));
const TOP = Number(option('top', '20'));
const RUNS = Number(option('runs', '5'));
const PROFILED = Number(option('profiled', '3'));

await useBackend(BACKEND);
const model = efficientnet(preset(PRESET) as ModelSpec, { seed: 1 });
const x = tf.randomUniform([BATCH, SIZE, SIZE, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
const call = async (fused: boolean): Promise<number> => {
  const started = performance.now();
  const logits = model.predict(x, { fused });
  await logits.data();
  logits.dispose();
  return performance.now() - started;
};

const paths = [true, false];
for (let i = 0; i < 2; i++) for (const fused of paths) await call(fused);
const times = new Map(paths.map((fused) => [fused, [] as number[]]));
for (let i = 0; i < RUNS; i++) for (const fused of i % 2 ? [...paths].reverse() : paths) times.get(fused)!.push(await call(fused));

const profileOf = (fused: boolean) => kernelProfile(() => model.predict(x, { fused }), PROFILED);

const fusedProfile = await profileOf(true);
const plainProfile = await profileOf(false);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
console.log(`${PRESET}, batch ${BATCH}, ${SIZE} px, backend ${tf.getBackend()}, ${RUNS} calls per path alternating, then ${PROFILED} profiled:`);
for (const [label, fused, profile] of [['fused form', true, fusedProfile], ['plain modules', false, plainProfile]] as const) {
  console.log(`  ${label.padEnd(14)} median ${median(times.get(fused)!).toFixed(1)} ms; ${profile.calls} kernel calls, ${profile.total.toFixed(1)} ms in kernels; peak ${mib(profile.peakBytes)} MiB of tensors`);
}
console.log(`\n| kernel | fused: calls | fused: ms | plain: calls | plain: ms |\n|---|---|---|---|---|`);
const names = new Set([...fusedProfile.byName.keys(), ...plainProfile.byName.keys()]);
const rows = [...names].map((name) => ({ name, fused: fusedProfile.byName.get(name), plain: plainProfile.byName.get(name) }));
rows.sort((a, b) => Math.max(b.fused?.ms ?? 0, b.plain?.ms ?? 0) - Math.max(a.fused?.ms ?? 0, a.plain?.ms ?? 0));
const cell = (entry: { ms: number; calls: number } | undefined) => (entry ? `${entry.calls.toFixed(0)} | ${entry.ms.toFixed(1)}` : '0 | 0');
for (const row of rows.slice(0, TOP)) console.log(`| ${row.name} | ${cell(row.fused)} | ${cell(row.plain)} |`);
console.log(`| all kernels | ${fusedProfile.calls} | ${fusedProfile.total.toFixed(1)} | ${plainProfile.calls} | ${plainProfile.total.toFixed(1)} |`);
x.dispose();
model.dispose();

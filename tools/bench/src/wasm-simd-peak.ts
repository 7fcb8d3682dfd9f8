// The multiply-add rate WebAssembly SIMD (4 float32 lanes, no fused multiply-add) reaches on this
// machine in one thread: a loop of independent f32x4 mul + add chains (8 accumulators, 4 vectors
// of weights, all in registers), so that nothing but the arithmetic limits it. With B0's 385.8
// million multiply-adds at 224 px (the `cost()` of @effnet/scaling) it gives the least time any
// wasm kernel set could take for B0's convolutions on this machine.
//   npx tsx --tsconfig tsconfig.base.json tools/bench/src/wasm-simd-peak.ts
import wabtInit from 'wabt';
import { cost, preset } from '@effnet/scaling';

const ACCUMULATORS = 8;
const WEIGHTS = 4;
const ITERATIONS = 1e7;

const accumulators = Array.from({ length: ACCUMULATORS }, (_, i) => `(local $a${i} v128)`).join(' ');
const weights = Array.from({ length: WEIGHTS }, (_, i) => `(local $b${i} v128)`).join(' ');
const setWeights = Array.from({ length: WEIGHTS }, (_, i) => `(local.set $b${i} (f32x4.splat (f32.const ${(0.5 / (i + 1)).toFixed(4)})))`).join(' ');
const body = Array.from(
  { length: ACCUMULATORS },
  (_, i) => `(local.set $a${i} (f32x4.add (local.get $a${i}) (f32x4.mul (local.get $x${i % 2}) (local.get $b${i % WEIGHTS}))))`,
).join('\n');
const sum = Array.from({ length: ACCUMULATORS }, (_, i) => `(local.get $a${i})`).reduce((s, v) => `(f32x4.add ${s} ${v})`);
const wat = `(module (func (export "run") (param $n i32) (result f32) (local $x0 v128) (local $x1 v128) ${accumulators} ${weights}
  (local.set $x0 (f32x4.splat (f32.const 1.0000001))) (local.set $x1 (f32x4.splat (f32.const 0.9999999))) ${setWeights}
  (loop $next ${body} (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $next (local.get $n)))
  (f32x4.extract_lane 0 ${sum})))`;

const wabt = await wabtInit();
const parsed = wabt.parseWat('peak.wat', wat, { simd: true });
const { run } = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(parsed.toBinary({}).buffer))).exports as { run: (n: number) => number };
parsed.destroy();
run(1e6);
let best = 0;
for (let r = 0; r < 7; r++) {
  const started = performance.now();
  run(ITERATIONS);
  const ms = performance.now() - started;
  best = Math.max(best, (ITERATIONS * ACCUMULATORS * 8) / ms / 1e6); // 4 lanes × (multiply + add)
}
const macs = cost(preset('efficientnet-b0'), { resolution: 224 }).macs;
console.log(`WebAssembly SIMD, one thread: ${best.toFixed(1)} GFLOP/s (best of 7 runs of ${ITERATIONS} iterations)`);
console.log(`EfficientNet-B0 at 224 px: ${(macs / 1e6).toFixed(1)} M multiply-adds, at least ${((2 * macs) / best / 1e6).toFixed(1)} ms at that rate`);

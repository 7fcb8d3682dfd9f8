// The webgl-kernel check of the browser harness (part of `window.effnet`): @effnet/blocks'
// pointwiseConvForward, depthwiseConvForward, globalMeanForward, siluForward and elementwiseForward
// on seeded random shapes (odd widths and channel counts, strides 1-3, uneven padding, batch 2, every
// activation, broadcasts), against sums in float64 written out here (the depthwise one with tfjs's
// WEBGL_USE_SHAPES_UNIFORMS set, where effnet's program runs, and without, where tfjs's does), with
// the backend's effnet kernels registered; inputs freshly uploaded or produced by a previous shader,
// filters and biases also uploaded at once by uploadConstant. Reports the largest error per kernel,
// how many programs each kernel compiled over all its shapes, the live tensors before and after,
// and the errors bad calls raise.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@effnet/backends';
import {
  CONV_KERNEL,
  DEPTHWISE_CONV_KERNEL,
  ELEMENTWISE_KERNEL,
  GLOBAL_MEAN_KERNEL,
  POINTWISE_CONV_KERNEL,
  SILU_KERNEL,
  SeededRandom,
  UPLOAD_KERNEL,
  convForward,
  depthwiseConvForward,
  elementwiseForward,
  globalMeanForward,
  pointwiseConvForward,
  siluForward,
  uploadConstant,
  type PointwiseActivation,
} from '@effnet/blocks';

const ACTIVATIONS: PointwiseActivation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'silu'];

function activate64(v: number, fn: PointwiseActivation): number {
  switch (fn) {
    case 'linear': return v;
    case 'relu': return Math.max(v, 0);
    case 'relu6': return Math.min(Math.max(v, 0), 6);
    case 'sigmoid': return 1 / (1 + Math.exp(-v));
    case 'silu': return v / (1 + Math.exp(-v));
  }
}

/** One kernel's sweep. */
export interface KernelSweep {
  /** Cases run. */
  readonly cases: number;
  /** Largest |kernel − float64| / max(1, largest |float64|) of a case, over the cases. */
  readonly error: number;
  /** The case with that error, for the failure message. */
  readonly worst: string;
  /** Programs of this kernel in tfjs's cache after the sweep (activations × tfjs's layout flags: sizes of 1, uploads or shader outputs). */
  readonly programs: number;
}

/** Programs of the convolution's or pooling's own class compiled by four layers of one kind with different sizes, by effnet's kernel and by tfjs's. */
export interface ProgramCounts {
  readonly pointwise: { effnet: number; tfjs: number };
  readonly depthwise: { effnet: number; tfjs: number };
  readonly globalMean: { effnet: number; tfjs: number };
  /** Upload programs for four weights of different shapes: uploadConstant (none: written without a program), and tfjs uploading each at its first use. */
  readonly upload: { effnet: number; tfjs: number };
  /** Programs of four squeeze-excite gates (products of different shapes): elementwiseForward, and tf.mul. */
  readonly elementwise: { effnet: number; tfjs: number };
}

/** What `webglKernelSweep` reports. */
export interface WebglKernelReport {
  readonly registered: Record<string, boolean>;
  readonly pointwise: KernelSweep;
  /** With WEBGL_USE_SHAPES_UNIFORMS (effnet's program), and without (tfjs's program, effnet's SiLU). */
  readonly depthwise: KernelSweep;
  readonly depthwiseStock: KernelSweep;
  readonly conv: KernelSweep;
  readonly globalMean: KernelSweep;
  readonly silu: KernelSweep;
  readonly elementwise: KernelSweep;
  /** siluForward of −∞, −100, −0, 0, 100, ∞, NaN, as Object.is-comparable strings, and the same by tf.mul(x, tf.sigmoid(x)). */
  readonly siluSpecials: { kernel: string[]; composed: string[] };
  /** The messages of calls the kernels must refuse (odd input channels, a channel multiplier of 2, an unknown activation, an unknown elementwise op). */
  readonly refusals: string[];
  readonly programCounts: ProgramCounts;
  /**
   * Constants of awkward shapes (odd rows and columns, a batch, a vector longer than a texture is
   * wide, B0's classifier) through uploadConstant, read back: `[shape]: packed, values equal` for each.
   */
  readonly uploads: string[];
  readonly tensors: { before: number; after: number };
}

/** Each shape's seeded values through uploadConstant, then read back through tfjs's own decoding. */
function uploadRoundTrips(random: SeededRandom): string[] {
  const shapes = [[1], [7], [3, 5], [2, 3, 5, 7], [3, 3, 5, 1], [1, 1, 9, 6], [2, 1, 3], [20_001], [1, 1, 1280, 1000]];
  return shapes.map((shape) => {
    const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.nextFloat() * 4 - 2);
    const constant = uploadConstant(values, shape);
    const data = (tf.backend() as unknown as { texData: { get(id: object): { isPacked?: boolean; texture?: unknown } } }).texData.get(constant.dataId);
    const packed = data.isPacked === true && data.texture != null;
    const back = constant.dataSync() as Float32Array;
    constant.dispose();
    return `[${shape.join(', ')}]: ${packed ? 'packed' : 'not packed'}, values ${back.length === values.length && back.every((v, i) => Object.is(v, values[i])) ? 'equal' : 'differ'}`;
  });
}

function programsOf(name: string): number {
  const cache = (tf.backend() as unknown as { binaryCache?: Record<string, unknown> }).binaryCache ?? {};
  return Object.keys(cache).filter((key) => key.startsWith(`${name}_`)).length;
}

function tracker(name: string) {
  let cases = 0;
  let error = 0;
  let worst = '';
  return {
    add(label: string, got: Float32Array, want: Float64Array): void {
      cases++;
      const scale = Math.max(1, ...Array.from(want, Math.abs));
      let e = got.length === want.length ? 0 : Infinity;
      for (let i = 0; i < want.length && e !== Infinity; i++) e = Math.max(e, Number.isNaN(got[i]!) ? Infinity : Math.abs(got[i]! - want[i]!) / scale);
      if (e > error || cases === 1) [error, worst] = [e, label];
    },
    result: (): KernelSweep => ({ cases, error, worst, programs: programsOf(name) }),
  };
}

/** Runs `make` with tfjs's CPU forwarding off, so that even a small tensor is computed by a shader. */
function onGpu<T>(make: () => T): T {
  const forward = tf.env().getBool('WEBGL_CPU_FORWARD');
  tf.env().set('WEBGL_CPU_FORWARD', false);
  try {
    return make();
  } finally {
    tf.env().set('WEBGL_CPU_FORWARD', forward);
  }
}

/** An input made by a shader (x·1 + 0, already on the GPU) or straight from JavaScript (uploaded at first use). */
function input(values: Float32Array, shape: number[], viaShader: boolean): tf.Tensor {
  const t = tf.tensor(values, shape, 'float32');
  if (!viaShader) return t;
  const y = onGpu(() => tf.tidy(() => tf.add(tf.mul(t, 1), 0)));
  t.dispose();
  return y;
}

/**
 * A filter or bias in one of three states, by `index` mod 3: made by a shader, straight from
 * JavaScript (uploaded at its first use), or through uploadConstant (the fused form's weights:
 * uploaded at once by effnet's EffnetUpload).
 */
function weight(values: Float32Array, shape: number[], index: number): tf.Tensor {
  return index % 3 === 2 ? uploadConstant(values, shape) : input(values, shape, index % 3 === 0);
}

/**
 * An input whose packed texture holds 1 rather than 0 in its padding lanes (an odd channel count's
 * missing last channel): values − 1 uploaded, then 1 added by tfjs's packed Add, which computes every
 * lane. `values` is overwritten with what that gives (values − 1 + 1 in float32), for the reference sums.
 */
function inputWithOnesInPadding(values: Float32Array, shape: number[]): tf.Tensor {
  const lower = values.map((v) => v - 1);
  lower.forEach((v, i) => (values[i] = Math.fround(v + 1)));
  return onGpu(() => tf.tidy(() => tf.add(tf.tensor(lower, shape, 'float32'), 1)));
}

/** The sizes of a windowed convolution case: input [n, h, w, cin], filter fh × fw, output [n, oh, ow, cout]. */
interface WindowCase {
  n: number; h: number; w: number; cin: number; cout: number; fh: number; fw: number;
  strides: [number, number];
  pads: [number, number, number, number];
  oh: number; ow: number;
}

/**
 * A windowed convolution's outputs in float64, bias added and activated: HWIO filter `ws`, or with
 * `depthwise` a [fh, fw, c, 1] filter whose output channel o reads input channel o only.
 */
function windowedSums(s: WindowCase, xs: Float32Array, ws: Float32Array, bs: Float32Array | null, fn: PointwiseActivation, depthwise: boolean): Float64Array {
  const want = new Float64Array(s.n * s.oh * s.ow * s.cout);
  for (let b = 0; b < s.n; b++) {
    for (let oy = 0; oy < s.oh; oy++) {
      for (let ox = 0; ox < s.ow; ox++) {
        for (let o = 0; o < s.cout; o++) {
          let sum = bs === null ? 0 : bs[o]!;
          for (let i = 0; i < s.fh; i++) {
            const iy = oy * s.strides[0] - s.pads[0] + i;
            if (iy < 0 || iy >= s.h) continue;
            for (let j = 0; j < s.fw; j++) {
              const ix = ox * s.strides[1] - s.pads[2] + j;
              if (ix < 0 || ix >= s.w) continue;
              const pixel = ((b * s.h + iy) * s.w + ix) * s.cin;
              const tap = i * s.fw + j;
              if (depthwise) sum += xs[pixel + o]! * ws[tap * s.cin + o]!;
              else for (let k = 0; k < s.cin; k++) sum += xs[pixel + k]! * ws[(tap * s.cin + k) * s.cout + o]!;
            }
          }
          want[((b * s.oh + oy) * s.ow + ox) * s.cout + o] = activate64(sum, fn);
        }
      }
    }
  }
  return want;
}

function pointwiseCase(random: SeededRandom, track: ReturnType<typeof tracker>, index: number): void {
  const pick = (n: number) => Math.floor(random.nextFloat() * n);
  const [n, h, w] = [1 + pick(2), 1 + pick(7), 1 + pick(7)];
  const k = 2 * (1 + pick(12));
  const c = 1 + pick(13);
  const fn = ACTIVATIONS[index % ACTIVATIONS.length]!;
  const hasBias = pick(2) === 1;
  const xs = Float32Array.from({ length: n * h * w * k }, () => random.nextFloat() * 4 - 2);
  const ws = Float32Array.from({ length: k * c }, () => random.nextFloat() * 2 - 1);
  const bs = Float32Array.from({ length: c }, () => random.nextFloat() * 2 - 1);
  const want = new Float64Array(n * h * w * c);
  for (let p = 0; p < n * h * w; p++) {
    for (let o = 0; o < c; o++) {
      let sum = hasBias ? bs[o]! : 0;
      for (let i = 0; i < k; i++) sum += xs[p * k + i]! * ws[i * c + o]!;
      want[p * c + o] = activate64(sum, fn);
    }
  }
  const x = input(xs, [n, h, w, k], index % 2 === 0);
  const filter = weight(ws, [1, 1, k, c], index) as tf.Tensor4D;
  const bias = hasBias ? (weight(bs, [c], index) as tf.Tensor1D) : undefined;
  const y = pointwiseConvForward(x as tf.Tensor4D, filter, bias, fn);
  track.add(`x [${n}, ${h}, ${w}, ${k}] → ${c}, ${fn}${hasBias ? ', bias' : ''}`, y.dataSync() as Float32Array, want);
  tf.dispose([x, filter, bias, y].filter((t) => t !== undefined));
}

function depthwiseCase(random: SeededRandom, track: ReturnType<typeof tracker>, index: number): void {
  const pick = (n: number) => Math.floor(random.nextFloat() * n);
  const [n, h, w, c] = [1 + pick(2), 1 + pick(11), 1 + pick(11), 1 + pick(13)];
  const [fh, fw] = [[1, 3, 5][pick(3)]!, [1, 3, 5][pick(3)]!];
  const strides: [number, number] = [1 + pick(3), 1 + pick(3)];
  const pads: [number, number, number, number] = [pick(fh), pick(fh), pick(fw), pick(fw)];
  const oh = Math.floor((h + pads[0] + pads[1] - fh) / strides[0]) + 1;
  const ow = Math.floor((w + pads[2] + pads[3] - fw) / strides[1]) + 1;
  if (oh < 1 || ow < 1) return depthwiseCase(random, track, index);
  const fn = ACTIVATIONS[index % ACTIVATIONS.length]!;
  const hasBias = pick(2) === 1;
  const xs = Float32Array.from({ length: n * h * w * c }, () => random.nextFloat() * 4 - 2);
  const ws = Float32Array.from({ length: fh * fw * c }, () => random.nextFloat() * 2 - 1);
  const bs = Float32Array.from({ length: c }, () => random.nextFloat() * 2 - 1);
  const want = windowedSums({ n, h, w, cin: c, cout: c, fh, fw, strides, pads, oh, ow }, xs, ws, hasBias ? bs : null, fn, true);
  const x = input(xs, [n, h, w, c], index % 2 === 1);
  const filter = weight(ws, [fh, fw, c, 1], index) as tf.Tensor4D;
  const bias = hasBias ? (weight(bs, [c], index) as tf.Tensor1D) : undefined;
  const y = depthwiseConvForward(x as tf.Tensor4D, filter, bias, strides, pads, fn);
  track.add(`x [${n}, ${h}, ${w}, ${c}], ${fh}×${fw}, strides ${strides}, pads ${pads}, ${fn}${hasBias ? ', bias' : ''}`, y.dataSync() as Float32Array, want);
  tf.dispose([x, filter, bias, y].filter((t) => t !== undefined));
}

function convCase(random: SeededRandom, track: ReturnType<typeof tracker>, index: number): void {
  const pick = (n: number) => Math.floor(random.nextFloat() * n);
  const [n, h, w, cin, cout] = [1 + pick(2), 1 + pick(11), 1 + pick(11), 1 + pick(4), 1 + pick(9)];
  const [fh, fw] = [[1, 3, 5][pick(3)]!, [1, 3, 5][pick(3)]!];
  const strides: [number, number] = [1 + pick(3), 1 + pick(3)];
  const pads: [number, number, number, number] = [pick(fh), pick(fh), pick(fw), pick(fw)];
  const oh = Math.floor((h + pads[0] + pads[1] - fh) / strides[0]) + 1;
  const ow = Math.floor((w + pads[2] + pads[3] - fw) / strides[1]) + 1;
  if (oh < 1 || ow < 1) return convCase(random, track, index);
  const fn = ACTIVATIONS[index % ACTIVATIONS.length]!;
  const hasBias = pick(2) === 1;
  const xs = Float32Array.from({ length: n * h * w * cin }, () => random.nextFloat() * 4 - 2);
  const ws = Float32Array.from({ length: fh * fw * cin * cout }, () => random.nextFloat() * 2 - 1);
  const bs = Float32Array.from({ length: cout }, () => random.nextFloat() * 2 - 1);
  // An odd channel count's last pair must take only its own lane, whatever the padding lane holds.
  const onesInPadding = cin % 2 === 1 && index % 4 === 3;
  const [xOnes, filterOnes] = onesInPadding ? [inputWithOnesInPadding(xs, [n, h, w, cin]), inputWithOnesInPadding(ws, [fh, fw, cin, cout])] : [];
  const want = windowedSums({ n, h, w, cin, cout, fh, fw, strides, pads, oh, ow }, xs, ws, hasBias ? bs : null, fn, false);
  const x = xOnes ?? input(xs, [n, h, w, cin], index % 2 === 1);
  const filter = (filterOnes ?? weight(ws, [fh, fw, cin, cout], index)) as tf.Tensor4D;
  const bias = hasBias ? (weight(bs, [cout], index) as tf.Tensor1D) : undefined;
  const y = convForward(x as tf.Tensor4D, filter, bias, strides, pads, fn);
  track.add(`x [${n}, ${h}, ${w}, ${cin}] → ${cout}, ${fh}×${fw}, strides ${strides}, pads ${pads}, ${fn}${hasBias ? ', bias' : ''}${onesInPadding ? ', ones in the padding lanes' : ''}`, y.dataSync() as Float32Array, want);
  tf.dispose([x, filter, bias, y].filter((t) => t !== undefined));
}

function globalMeanCase(random: SeededRandom, track: ReturnType<typeof tracker>, index: number): void {
  const pick = (n: number) => Math.floor(random.nextFloat() * n);
  const [n, h, w, c] = [1 + pick(2), 1 + pick(12), 1 + pick(12), 1 + pick(13)];
  const xs = Float32Array.from({ length: n * h * w * c }, () => random.nextFloat() * 4 - 2);
  // An odd width's last column, and an odd channel count's last channel, must leave the padding lanes out.
  const onesInPadding = (w % 2 === 1 || c % 2 === 1) && index % 4 === 3;
  const xOnes = onesInPadding ? inputWithOnesInPadding(xs, [n, h, w, c]) : undefined;
  const want = new Float64Array(n * c);
  for (let b = 0; b < n; b++) for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) want[b * c + ch]! += xs[(b * h * w + p) * c + ch]! / (h * w);
  const x = xOnes ?? input(xs, [n, h, w, c], index % 2 === 0);
  const y = globalMeanForward(x as tf.Tensor4D);
  track.add(`x [${n}, ${h}, ${w}, ${c}] → [${y.shape}]${onesInPadding ? ', ones in the padding lanes' : ''}`, y.dataSync() as Float32Array, want);
  tf.dispose([x, y]);
}

function siluCase(random: SeededRandom, track: ReturnType<typeof tracker>, index: number): void {
  const pick = (n: number) => Math.floor(random.nextFloat() * n);
  const shape = Array.from({ length: 1 + (index % 5) }, () => 1 + pick(5));
  const size = shape.reduce((a, b) => a * b, 1);
  const xs = Float32Array.from({ length: size }, () => (random.nextFloat() * 2 - 1) * 10 ** (random.nextFloat() * 3 - 1));
  const want = Float64Array.from(xs, (v) => v / (1 + Math.exp(-v)));
  const x = input(xs, shape, index % 2 === 0);
  const y = siluForward(x);
  track.add(`x [${shape}]`, y.dataSync() as Float32Array, want);
  tf.dispose([x, y]);
}

/** a + b or a · b with b broadcast as the fused form's do (a residual [n, h, w, c], a gate [n, 1, 1, c]) and other ways. */
function elementwiseCase(random: SeededRandom, track: ReturnType<typeof tracker>, index: number): void {
  const pick = (n: number) => Math.floor(random.nextFloat() * n);
  const shape = [1 + pick(2), 1 + pick(9), 1 + pick(9), 1 + pick(13)];
  const bShape = shape.map((d, axis) => (axis === 0 || axis === 3 || index % 4 === 0 ? d : index % 4 === 1 ? 1 : pick(2) === 0 ? 1 : d));
  const op = index % 2 === 0 ? 'add' : 'multiply';
  const as = Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => random.nextFloat() * 4 - 2);
  const bs = Float32Array.from({ length: bShape.reduce((p, d) => p * d, 1) }, () => random.nextFloat() * 4 - 2);
  const want = new Float64Array(as.length);
  const [, h, w, c] = shape as [number, number, number, number];
  for (let i = 0; i < as.length; i++) {
    const [n, y, x, ch] = [Math.floor(i / (h * w * c)), Math.floor(i / (w * c)) % h, Math.floor(i / c) % w, i % c];
    const j = ((Math.min(n, bShape[0]! - 1) * bShape[1]! + Math.min(y, bShape[1]! - 1)) * bShape[2]! + Math.min(x, bShape[2]! - 1)) * bShape[3]! + ch;
    want[i] = op === 'add' ? as[i]! + bs[j]! : as[i]! * bs[j]!;
  }
  const a = input(as, shape, index % 3 === 0);
  const b = weight(bs, bShape, index);
  const y = elementwiseForward(op, a, b);
  track.add(`${op} [${shape}] and [${bShape}]`, y.dataSync() as Float32Array, want);
  tf.dispose([a, b, y]);
}

function refusal(call: () => tf.Tensor): string {
  try {
    tf.tidy(call);
    return 'no error';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** `run` with tfjs's WEBGL_USE_SHAPES_UNIFORMS set (effnet's depthwise program runs only then). */
function withUniforms<T>(run: () => T): T {
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  try {
    return run();
  } finally {
    tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', false);
  }
}

/** Programs of class `program` compiled while `run` runs on each of `inputs`. */
function compiled<T>(program: string, inputs: T[], run: (inputs: T) => tf.Tensor): number {
  const before = programsOf(program);
  for (const args of inputs) tf.tidy(() => void run(args));
  return programsOf(program) - before;
}

/** B0-like layers (sizes as its stages have them) through effnet's kernels and through tfjs's own ops. */
function programCounts(): ProgramCounts {
  const t = (shape: number[]) => tf.tidy(() => tf.add(tf.ones(shape), 0));
  const made: tf.Tensor[] = [];
  const make = (shapes: number[][]) => shapes.map((shape) => {
    const tensor = t(shape);
    made.push(tensor);
    return tensor;
  });
  const pointwise = [[56, 24, 144], [28, 40, 240], [14, 80, 480], [7, 192, 1152]].map(([s, k, c]) => make([[1, s!, s!, k!], [1, 1, k!, c!], [c!]]));
  const depthwise = [[56, 144, 3, 2], [28, 240, 5, 2], [14, 480, 3, 1], [14, 672, 5, 1]].map(([s, c, k]) => make([[1, s!, s!, c!], [k!, k!, c!, 1], [c!]]));
  const strideOf = (filter: tf.Tensor, i: number) => (i < 2 ? 2 : 1) + 0 * filter.size;
  const pool = [[56, 144], [28, 240], [14, 480], [7, 1152]].map(([s, c]) => make([[1, s!, s!, c!]]));
  const gates = [[56, 144], [28, 240], [14, 480], [7, 1152]].map(([s, c]) => make([[1, s!, s!, c!], [1, 1, 1, c!]]));
  // Weights fresh from JavaScript, as the fused form makes them: four projections' 1×1 filters,
  // shapes no other tensor here has had, so that tfjs compiles an upload for each.
  const weights = [[144, 24], [240, 40], [480, 80], [1152, 192]].map(([k, c]) => [1, 1, k!, c!]);
  const halves = (shape: number[]) => new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5);
  try {
    return {
      upload: {
        effnet: compiled('EncodeMatrixPackedProgram', weights, (shape) => uploadConstant(halves(shape), shape)),
        tfjs: compiled('EncodeMatrixPackedProgram', weights, (shape) => {
          const w = tf.tensor(halves(shape), shape);
          return tf.add(w, w);
        }),
      },
      pointwise: {
        effnet: compiled('PointwiseConvProgram', pointwise, ([x, f, b]) => pointwiseConvForward(x as tf.Tensor4D, f as tf.Tensor4D, b as tf.Tensor1D, 'silu')),
        tfjs: compiled('MatMulPackedProgram', pointwise, ([x, f, b]) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'valid', bias: b })),
      },
      depthwise: {
        effnet: withUniforms(() => compiled('DepthwiseConvProgram', depthwise, ([x, f, b]) => {
          const [k, stride] = [f!.shape[0]!, strideOf(f!, depthwise.findIndex((args) => args[1] === f))];
          return depthwiseConvForward(x as tf.Tensor4D, f as tf.Tensor4D, b as tf.Tensor1D, [stride, stride], [k >> 1, k >> 1, k >> 1, k >> 1], 'silu');
        })),
        tfjs: compiled('DepthwiseConvPacked2DProgram', depthwise, ([x, f, b]) => {
          const [k, stride] = [f!.shape[0]!, strideOf(f!, depthwise.findIndex((args) => args[1] === f))];
          return tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: stride, pad: k >> 1, bias: b });
        }),
      },
      globalMean: {
        effnet: compiled('GlobalMeanProgram', pool, ([x]) => globalMeanForward(x as tf.Tensor4D)),
        tfjs: compiled('Pool2DProgram', pool, ([x]) => tf.avgPool(x as tf.Tensor4D, x!.shape[1]!, 1, 'valid')),
      },
      elementwise: {
        effnet: compiled('BinaryOpPackedProgram', gates, ([x, g]) => elementwiseForward('multiply', x!, g!)),
        tfjs: compiled('BinaryOpPackedProgram', gates, ([x, g]) => tf.mul(x!, g!)),
      },
    };
  } finally {
    tf.dispose(made);
  }
}

/** The harness function on `window.effnet`. */
export const webglKernelsHarness = {
  /** `cases` seeded cases per kernel on `backend` (default webgl). */
  async webglKernelSweep(cases = 40, seed = 20261205, backend = 'webgl'): Promise<WebglKernelReport> {
    await useBackend(backend);
    const registered = Object.fromEntries([POINTWISE_CONV_KERNEL, DEPTHWISE_CONV_KERNEL, CONV_KERNEL, GLOBAL_MEAN_KERNEL, SILU_KERNEL, UPLOAD_KERNEL, ELEMENTWISE_KERNEL].map((k) => [k, tf.getKernel(k, tf.getBackend()) !== undefined]));
    const before = tf.memory().numTensors;
    const counts = programCounts(); // first, while no program of these kernels is compiled
    const random = new SeededRandom(seed);
    const sweeps = {
      pointwise: [tracker('PointwiseConvProgram'), pointwiseCase],
      depthwise: [tracker('DepthwiseConvProgram'), (r: SeededRandom, t: ReturnType<typeof tracker>, i: number) => withUniforms(() => depthwiseCase(r, t, i))],
      depthwiseStock: [tracker('DepthwiseConvPacked2DProgram'), depthwiseCase],
      conv: [tracker('ConvProgram'), convCase],
      globalMean: [tracker('GlobalMeanProgram'), globalMeanCase],
      silu: [tracker('SiluProgram'), siluCase],
      elementwise: [tracker('BinaryOpPackedProgram'), elementwiseCase],
    } as const;
    for (const [track, run] of Object.values(sweeps)) for (let i = 0; i < cases; i++) run(random, track, i);
    const uploads = uploadRoundTrips(random);
    const specials = tf.tensor1d([-Infinity, -100, -0, 0, 100, Infinity, Number.NaN]);
    const show = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => (Object.is(v, -0) ? '-0' : String(v)));
    const kernelSpecials = siluForward(specials);
    const composed = tf.tidy(() => tf.mul(specials, tf.sigmoid(specials)));
    const siluSpecials = { kernel: show(kernelSpecials), composed: show(composed) };
    tf.dispose([specials, kernelSpecials, composed]);
    const x3 = () => tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const refusals = [
      refusal(() => tf.engine().runKernel(POINTWISE_CONV_KERNEL, { x: x3(), filter: tf.zeros([1, 1, 3, 4]) }, { activation: 'linear' }) as tf.Tensor),
      refusal(() => tf.engine().runKernel(DEPTHWISE_CONV_KERNEL, { x: x3(), filter: tf.zeros([3, 3, 3, 2]) }, { strides: [1, 1], pads: [1, 1, 1, 1], activation: 'linear' }) as tf.Tensor),
      refusal(() => tf.engine().runKernel(POINTWISE_CONV_KERNEL, { x: tf.zeros([1, 2, 2, 4]), filter: tf.zeros([1, 1, 4, 4]) }, { activation: 'gelu' }) as tf.Tensor),
      refusal(() => tf.engine().runKernel(ELEMENTWISE_KERNEL, { a: tf.zeros([2]), b: tf.zeros([2]) }, { op: 'subtract' }) as tf.Tensor),
    ];
    return {
      registered,
      programCounts: counts,
      pointwise: sweeps.pointwise[0].result(),
      depthwise: sweeps.depthwise[0].result(),
      depthwiseStock: sweeps.depthwiseStock[0].result(),
      conv: sweeps.conv[0].result(),
      globalMean: sweeps.globalMean[0].result(),
      silu: sweeps.silu[0].result(),
      elementwise: sweeps.elementwise[0].result(),
      siluSpecials,
      refusals,
      uploads,
      tensors: { before, after: tf.memory().numTensors },
    };
  },
};

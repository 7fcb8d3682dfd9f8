// effnet's own WebAssembly SIMD kernels (src/simd/kernels.wat), instantiated on a tfjs-backend-wasm
// backend's memory so that they read and write its tensors in place: one instance per backend,
// or null where the runtime has no WebAssembly SIMD or the backend's memory cannot be found (the
// callers then take their composed paths).
import { backend as activeBackend, getBackend } from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { KERNELS_SHARED_WASM, KERNELS_WASM } from './kernels-wasm.js';

/** The functions kernels.wat exports; addresses are byte offsets in the backend's memory. */
export interface SimdKernels {
  /** dW[i, j, c] = Σ xp[b, y·sh + i, x·sw + j, c] · dy[b, y, x, c] (see kernels.wat); c % 4 === 0. */
  depthwiseFilterGrad(xp: number, dy: number, dw: number, n: number, hp: number, wp: number, oh: number, ow: number, c: number, kh: number, kw: number, sh: number, sw: number): void;
  /**
   * out[o, k] = weight · Σ_r x[o, r, k] for x [outer, reduced, inner] (centre 0), or weight · Σ_r (x[o, r, k] − centre[k])²
   * (centre the address of inner values); acc scratch of inner values; inner % 4 === 0.
   */
  sumLeading(x: number, out: number, acc: number, outer: number, reduced: number, inner: number, weight: number, centre: number): void;
  /** sumDy[k] = Σ_r dy[r, k], sumDyC[k] = Σ_r dy[r, k] · (x[r, k] − mean[k]) for [rows, inner]; accDy, accDyC scratch; inner % 4 === 0. */
  batchNormGradSums(dy: number, x: number, mean: number, sumDy: number, sumDyC: number, accDy: number, accDyC: number, rows: number, inner: number): void;
  /** dx[r, k] = (dy[r, k] · scale[k] + (x[r, k] − mean[k]) · perCentred[k]) + perChannel[k] for [rows, inner]; inner % 4 === 0. */
  batchNormGradInput(dy: number, x: number, mean: number, scale: number, perCentred: number, perChannel: number, dx: number, rows: number, inner: number): void;
  /** out[r, k] = (x[r, k] − shift[k]) · scale[k] + offset[k] for x [rows, inner]; inner % 4 === 0. */
  channelAffine(x: number, out: number, shift: number, scale: number, offset: number, rows: number, inner: number): void;
  /** out[r, k] = x[r, k] op v[k] for x [rows, inner], op 0 add, 1 subtract, 2 multiply; inner % 4 === 0. */
  channelBinary(op: number, x: number, v: number, out: number, rows: number, inner: number): void;
  /** out = dy · (s · (1 + x · (1 − s))) over n values; n % 4 === 0. */
  siluGrad(dy: number, x: number, s: number, out: number, n: number): void;
  /** out = x · σ(x) over n values (out may be x); n % 4 === 0. */
  silu(x: number, out: number, n: number): void;
  /**
   * out[b, y, x, k] = act(Σ x[b, y·sh + i − padTop, x·sw + j − padLeft, k] · f[i, j, k] + bias[k]) over the taps inside x
   * (see kernels.wat); columns xs ≤ x < xe have every tap inside; act 0 none, 1 relu, 2 relu6, 3 sigmoid, 4 SiLU; c % 4 === 0.
   */
  depthwiseConv(x: number, f: number, bias: number, out: number, n: number, h: number, w: number, oh: number, ow: number, c: number, kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number, xs: number, xe: number, hasBias: number, act: number): void;
  /** C [M, N] = A [M, K] · B [K, N] (+ bias[N] when hasBias is 1), act 0 none, 1 relu, 2 relu6, 3 sigmoid, 4 SiLU (see kernels.wat), sigmoid and SiLU in a pass over C after the product; K ≥ 1, N % 8 === 0. */
  pointwise(a: number, b: number, bias: number, c: number, m: number, k: number, n: number, hasBias: number, act: number): void;
  /**
   * out [batch, oh, ow, N] = act(conv(xp, f) + bias) for xp [batch, hp, wp, c] already padded, f [kh, kw, c, N], strides
   * sh, sw, no dilation (see kernels.wat); act 0 none, 1 relu, 2 relu6; c ≥ 1, N % 8 === 0.
   */
  conv(xp: number, f: number, bias: number, out: number, batch: number, hp: number, wp: number, c: number, oh: number, ow: number, n: number, kh: number, kw: number, sh: number, sw: number, hasBias: number, act: number): void;
  /**
   * dw [kh, kw, c, N] = Σ over (b, y, x) of xp[b, y·sh + i, x·sw + j, ci] · dy[b, y, x, co], for xp [batch, hp, wp, c] padded
   * as the forward pass saw it and dy [batch, oh, ow, N], no dilation (see kernels.wat); N % 8 === 0.
   */
  convFilterGrad(xp: number, dy: number, dw: number, batch: number, hp: number, wp: number, c: number, oh: number, ow: number, n: number, kh: number, kw: number, sh: number, sw: number): void;
  /**
   * dx [batch, h, w, c] = Σ over taps (i, j) and co of dy[b, (y + padTop − i)/sh, (x + padLeft − j)/sw, co] · wt[i, j, co, ci]
   * where those are whole and inside dy [batch, oh, ow, n], wt the filter transposed to [kh, kw, n, c] (see kernels.wat);
   * c % 8 === 0, n ≥ 1.
   */
  convInputGrad(dy: number, wt: number, dx: number, batch: number, h: number, w: number, c: number, oh: number, ow: number, n: number, kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number): void;
  /** dst[b·dstBatch + c·dstRow + r·4] = src[b·srcBatch + r·srcRow + c·4] for 4-byte values, r < rows, c < cols; strides in bytes. */
  transpose(src: number, dst: number, batches: number, rows: number, cols: number, srcBatch: number, srcRow: number, dstBatch: number, dstRow: number): void;
}

/** What the SIMD kernels' callers use of tfjs-backend-wasm's `BackendWasm`: outputs on its heap, and where tensors lie. */
export interface WasmBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  getMemoryOffset(dataId: object): number;
}

/** What is read of tfjs-backend-wasm's `BackendWasm`: its Emscripten module's memory. */
interface WasmModuleHolder {
  wasm?: { asm?: Record<string, unknown>; wasmMemory?: unknown };
}

const instances = new WeakMap<KernelBackend, SimdKernels | null>();

function instantiate(backend: KernelBackend): SimdKernels | null {
  const wasm = (backend as WasmModuleHolder).wasm;
  const memory = wasm?.asm?.['memory'] ?? wasm?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = Uint8Array.from(atob(shared ? KERNELS_SHARED_WASM : KERNELS_WASM), (ch) => ch.charCodeAt(0));
  try {
    // Synchronous: the module is a few hundred bytes, far below what browsers allow on the main thread.
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as SimdKernels;
  } catch {
    return null; // no WebAssembly SIMD in this runtime
  }
}

/** effnet's SIMD kernels on `backend`'s memory, or null where they cannot run. */
export function simdKernels(backend: KernelBackend): SimdKernels | null {
  let kernels = instances.get(backend);
  if (kernels === undefined) {
    kernels = instantiate(backend);
    instances.set(backend, kernels);
  }
  return kernels;
}

/**
 * Whether effnet's own WebAssembly SIMD kernels run on the active `wasm` backend (false when
 * another backend is active, or the runtime has no WebAssembly SIMD): where they do not, the
 * kernels that use them take their slower composed paths.
 */
export function simdKernelsActive(): boolean {
  return getBackend() === 'wasm' && simdKernels(activeBackend()) !== null;
}

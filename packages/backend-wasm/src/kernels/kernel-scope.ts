// Runs tfjs-backend-wasm's own compiled kernels from inside another kernel and frees every
// intermediate it made. Follows the tfjs kernel registry contract (getKernel(...).kernelFunc with
// {inputs, backend, attrs}) and the wasm backend's reference counting (Reshape shares data and
// increments the count; disposeData decrements it).
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The wasm backend kernel names this package composes its kernels from. */
export type WasmKernelName =
  | 'Add'
  | 'BatchMatMul'
  | 'Conv2D'
  | 'DepthwiseConv2dNative'
  | 'EffnetSilu'
  | 'Fill'
  | 'FusedConv2D'
  | 'FusedDepthwiseConv2D'
  | 'Mean'
  | 'Multiply'
  | 'PadV2'
  | 'RealDiv'
  | 'Reshape'
  | 'Reverse'
  | 'Rsqrt'
  | 'Sigmoid'
  | 'Slice'
  | 'Square'
  | 'StridedSlice'
  | 'Sub'
  | 'Sum'
  | 'Transpose';

/**
 * Calls wasm kernels and tracks their outputs; `finish(result)` frees every tracked output except
 * `result`. Use one scope per kernel invocation: {@link inKernelScope} opens and closes one.
 */
export class KernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(readonly backend: KernelBackend) {}

  /** Runs the wasm kernel `name` and tracks its (single) output. */
  run(name: WasmKernelName, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(name, 'wasm');
    if (kernel === undefined) {
      throw new Error(`@effnet/backend-wasm needs the wasm kernel '${name}'; install @tensorflow/tfjs-backend-wasm ^4.22`);
    }
    const out = kernel.kernelFunc({
      inputs: inputs as unknown as Record<string, TensorInfo>,
      backend: this.backend,
      attrs,
    });
    const info = Array.isArray(out) ? out[0]! : out;
    this.made.push(info);
    return info;
  }

  /** Tracks `info` (a tensor made outside the scope) like a kernel output, and returns it. */
  track(info: TensorInfo): TensorInfo {
    this.made.push(info);
    return info;
  }

  /** A new float32 tensor holding `values`, tracked like a kernel output. */
  fromValues(values: Float32Array, shape: number[]): TensorInfo {
    const info: TensorInfo = { dataId: this.backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
    this.made.push(info);
    return info;
  }

  /** The values of a float32 tensor, read synchronously (wasm memory is local). */
  read(x: TensorInfo): Float32Array {
    return this.backend.readSync(x.dataId) as Float32Array;
  }

  /** `x` viewed with a new shape (no copy). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** `x` padded with zeros; `paddings[d]` is [before, after] of dimension d. */
  pad(x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Elements `begin[d] + k·strides[d]` for k < size[d] of every dimension d. */
  stridedSlice(x: TensorInfo, begin: number[], size: number[], strides: number[]): TensorInfo {
    if (strides.every((s) => s === 1)) {
      if (begin.every((b) => b === 0) && size.every((s, d) => s === x.shape[d])) return x;
      return this.run('Slice', { x }, { begin, size });
    }
    const end = begin.map((b, d) => b + (size[d]! - 1) * strides[d]! + 1);
    return this.run('StridedSlice', { x }, {
      begin,
      end,
      strides,
      beginMask: 0,
      endMask: 0,
      ellipsisMask: 0,
      newAxisMask: 0,
      shrinkAxisMask: 0,
    });
  }

  /** Batched matrix product of rank-3 `a` and `b`. */
  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA, transposeB });
  }

  /**
   * The product aᵀ·b of rank-3 `a` [1, P, K] and `b` [1, P, C] as [1, K, C]. The wasm backend's
   * BatchMatMul reaches XNNPACK only without transposes, so the narrower operand is transposed
   * explicitly (and, when that is `b`, the small [C, K] result transposed back).
   */
  transposedProduct(a: TensorInfo, b: TensorInfo): TensorInfo {
    const k = a.shape[2]!;
    const c = b.shape[2]!;
    if (k <= c) {
      const aT = this.run('Transpose', { x: a }, { perm: [0, 2, 1] });
      return this.matMul(aT, b, false, false);
    }
    const bT = this.run('Transpose', { x: b }, { perm: [0, 2, 1] });
    const productT = this.matMul(bT, a, false, false);
    return this.run('Transpose', { x: productT }, { perm: [0, 2, 1] });
  }

  /** Frees every tracked intermediate except `result` (one output or several) and returns `result`. */
  finish<T extends TensorInfo | TensorInfo[]>(result: T): T {
    const kept = new Set<TensorInfo>(Array.isArray(result) ? result : [result]);
    for (const info of this.made) {
      if (!kept.has(info)) this.backend.disposeData(info.dataId);
    }
    this.made.length = 0;
    return result;
  }

  /** Frees every tracked intermediate (after an error). */
  abandon(): void {
    for (const info of this.made) this.backend.disposeData(info.dataId);
    this.made.length = 0;
  }
}

/**
 * Runs `body` with a new {@link KernelScope} on `backend` and returns its result: every other
 * intermediate the scope tracked is freed, and all of them when `body` throws (the error goes on).
 */
export function inKernelScope<T extends TensorInfo | TensorInfo[]>(backend: KernelBackend, body: (scope: KernelScope) => T): T {
  const scope = new KernelScope(backend);
  try {
    return scope.finish(body(scope));
  } catch (error) {
    scope.abandon();
    throw error;
  }
}

// Transpose for the wasm backend, replacing tfjs-backend-wasm's own where the last axis moves:
// the stock kernel walks the output in order and reads the input with a stride, one value at a
// time, which runs 10-80× slower than a copy of the same bytes once the tensor outgrows the cache
// (92 ms for [65536, 96] against 1.2 ms for a copy). The permutation is first reduced (axes of
// size 1 dropped, runs of axes that stay adjacent merged); when that leaves a 2-D transpose, or
// a batch of them ([0, 2, 1] or [2, 1, 0]), effnet's SIMD kernel (src/simd/kernels.wat) moves
// the values in cache-sized tiles of 4×4 blocks. Values are moved, never computed, so the output
// equals the stock kernel's bit for bit. Other permutations (the last axis staying last, which
// the stock kernel copies in runs), transposes with fewer than 4 rows or columns, and dtypes other
// than float32 and int32 go to the stock kernel.
// Follows tfjs's Transpose kernel (attr perm).
import { Transpose, util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo, TransposeAttrs } from '@tensorflow/tfjs-core';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { sharedView } from './identity.js';
import { StockKernel } from './stock-kernel.js';

/** tfjs-backend-wasm's own Transpose, for the permutations and dtypes this one hands back. */
export const transposeStock = new StockKernel(Transpose);

/**
 * `perm` over `shape` reduced to the fewest axes that move the same values: axes of size 1
 * dropped, and source axes that stay adjacent and in order in the output merged into one.
 */
export function reducedPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  // The axes of size above 1, renumbered in source order, in output order.
  const sizes = shape.filter((size) => size !== 1);
  const renumbered = perm.filter((axis) => shape[axis] !== 1).map((axis) => shape.slice(0, axis).filter((size) => size !== 1).length);
  // Groups of output-adjacent axes whose source axes are consecutive.
  const groups: number[][] = [];
  for (const axis of renumbered) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1]! + 1 === axis) last.push(axis);
    else groups.push([axis]);
  }
  const bySource = [...groups].sort((a, b) => a[0]! - b[0]!);
  return {
    shape: bySource.map((group) => group.reduce((size, axis) => size * sizes[axis]!, 1)),
    perm: groups.map((group) => bySource.indexOf(group)),
  };
}

/** The SIMD kernel's arguments for a reduced permutation it runs, in values (not bytes). */
interface TransposePlan {
  batches: number;
  rows: number;
  cols: number;
  srcBatch: number;
  srcRow: number;
  dstBatch: number;
  dstRow: number;
}

function planOf({ shape, perm }: { shape: number[]; perm: number[] }): TransposePlan | undefined {
  const plan = anyPlanOf(shape, perm);
  // Fewer than 4 rows or columns leave no whole block: the stock kernel does better.
  return plan && plan.rows >= 4 && plan.cols >= 4 ? plan : undefined;
}

function anyPlanOf(shape: number[], perm: number[]): TransposePlan | undefined {
  const key = perm.join(',');
  if (key === '1,0') {
    const [rows, cols] = shape as [number, number];
    return { batches: 1, rows, cols, srcBatch: 0, srcRow: cols, dstBatch: 0, dstRow: rows };
  }
  if (key === '0,2,1') {
    const [batches, rows, cols] = shape as [number, number, number];
    return { batches, rows, cols, srcBatch: rows * cols, srcRow: cols, dstBatch: rows * cols, dstRow: rows };
  }
  if (key === '2,1,0') {
    // out[k, j, i] = x[i, j, k]: one 2-D transpose of (i, k) per j.
    const [rows, batches, cols] = shape as [number, number, number];
    return { batches, rows, cols, srcBatch: cols, srcRow: batches * cols, dstBatch: rows, dstRow: batches * rows };
  }
  return undefined;
}

const transpose: KernelFunc = (args) => {
  const { x } = args.inputs as unknown as { x: TensorInfo };
  const { perm } = args.attrs as unknown as TransposeAttrs;
  const backend = args.backend as WasmBackend;
  const why = () => `${x.dtype} [${x.shape.join(', ')}] with perm [${perm.join(', ')}]`;
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || perm.length !== x.shape.length) return transposeStock.run(args, why());
  const outShape = perm.map((axis) => x.shape[axis]!);
  const reduced = reducedPermutation(x.shape, perm);
  if (reduced.perm.every((axis, i) => axis === i)) {
    // Nothing moves: the output shares the data, as Reshape does.
    return { ...sharedView(backend as KernelBackend, x), shape: outShape };
  }
  const plan = planOf(reduced);
  const simd = plan ? simdKernels(backend as KernelBackend) : null;
  if (!plan || !simd) return transposeStock.run(args, why());
  const out = backend.makeOutput(outShape, x.dtype as 'float32');
  if (util.sizeFromShape(outShape) > 0) {
    simd.transpose(
      backend.getMemoryOffset(x.dataId),
      backend.getMemoryOffset(out.dataId),
      plan.batches,
      plan.rows,
      plan.cols,
      plan.srcBatch * 4,
      plan.srcRow * 4,
      plan.dstBatch * 4,
      plan.dstRow * 4,
    );
  }
  return out;
};

/** Transpose for `wasm`: 2-D and batched 2-D transposes by the SIMD kernel, the rest by the stock kernel. */
export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: 'wasm',
  kernelFunc: transpose,
  setupFunc: (backend) => transposeStock.setup(backend as KernelBackend),
};

// Sums and means over a contiguous block of axes that is not the last one (over N, H, W of an
// NHWC batch: batch-norm statistics and gradients, bias gradients; over H, W: global pooling), x
// viewed as [A, R, B]: by effnet's SIMD kernel (src/simd/kernels.wat, one pass over x) when B is
// a multiple of 4, else as one matrix product with a row of ones ([1, 1, R], 1/R for a mean).
// tfjs-backend-wasm's own Sum and Mean transpose the reduced axes to the end first, which costs
// several times the reduction itself (measured 2.5-5× on 64×7×7×256), and the product with ones
// runs the wasm BatchMatMul's scalar loops (about 4× the SIMD kernel's time). Other reductions
// (the last axis among those reduced, axes with gaps, non-float32 data) are left to the stock kernels.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';

/** A reduction this module computes: x as [outer, reduced, inner] and the result's shape. */
export interface LeadingReduction {
  /** Product of the dimensions before the reduced block. */
  outer: number;
  /** Product of the reduced dimensions. */
  reduced: number;
  /** Product of the dimensions after the reduced block (> 1 element per row, or at least one axis). */
  inner: number;
  /** The result's shape (with the reduced axes kept as 1 when keepDims). */
  outShape: number[];
}

/**
 * The plan for reducing `x` over `axis`, or undefined when the reduction is not one this module
 * speeds up (float32 only; axes contiguous; the last axis not among them; nothing empty).
 */
export function planLeadingReduction(x: TensorInfo, axis: number | number[], keepDims: boolean): LeadingReduction | undefined {
  if (x.dtype !== 'float32') return undefined;
  const rank = x.shape.length;
  if (rank < 2 || util.sizeFromShape(x.shape) === 0) return undefined;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  if (axes.length === 0) return undefined;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 !== axes.length || last === rank - 1) return undefined;
  const outer = util.sizeFromShape(x.shape.slice(0, first));
  const reduced = util.sizeFromShape(x.shape.slice(first, last + 1));
  const inner = util.sizeFromShape(x.shape.slice(last + 1));
  const [kept] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const outShape = keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  return { outer, reduced, inner, outShape };
}

/** Σ over the plan's reduced block of `x`, each term scaled by `weight` (1 for a sum, 1/R for a mean). */
export function reduceLeading(scope: KernelScope, x: TensorInfo, plan: LeadingReduction, weight: number): TensorInfo {
  const simd = plan.inner % 4 === 0 ? simdKernels(scope.backend) : null;
  if (simd) {
    const backend = scope.backend as WasmBackend;
    const out = scope.track(backend.makeOutput(plan.outShape, 'float32'));
    const acc = scope.track(backend.makeOutput([plan.inner], 'float32'));
    const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
    simd.sumLeading(at(x), at(out), at(acc), plan.outer, plan.reduced, plan.inner, weight, 0);
    return out;
  }
  // The ones as a column read transposed: with a transpose the wasm BatchMatMul runs its own
  // loops instead of XNNPACK's, which would first pack all of x (a fresh operand every call).
  const ones = scope.run('Fill', [], { shape: [1, plan.reduced, 1], value: weight, dtype: 'float32' });
  const rows = scope.reshape(x, [plan.outer, plan.reduced, plan.inner]);
  const product = scope.matMul(ones, rows, true, false);
  return scope.reshape(product, plan.outShape);
}

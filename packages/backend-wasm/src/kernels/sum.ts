// Sum for the wasm backend, replacing tfjs-backend-wasm's own for reductions over leading axes
// (e.g. N, H, W of an NHWC batch), which it computes as one matrix product with a row of
// ones (leading-reduction.ts) instead of a transpose and a loop; every other reduction goes to
// the stock kernel it replaced. Follows tfjs's Sum kernel (attrs axis, keepDims).
import { Sum } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { inKernelScope } from './kernel-scope.js';
import { planLeadingReduction, reduceLeading } from './leading-reduction.js';
import { StockKernel } from './stock-kernel.js';

/** tfjs-backend-wasm's own Sum, for the reductions this kernel hands back. */
export const sumStock = new StockKernel(Sum);

const sum: KernelFunc = (args) => {
  const { x } = args.inputs as unknown as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const plan = planLeadingReduction(x, axis, keepDims);
  if (plan === undefined) return sumStock.run(args, `Sum over axes ${JSON.stringify(axis)} of a ${x.dtype} [${x.shape.join(', ')}] tensor`);
  return inKernelScope(args.backend as KernelBackend, (scope) => reduceLeading(scope, x, plan, 1));
};

/** Sum for `wasm`: leading-axis reductions as a product with ones, the rest by the stock kernel. */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum,
  setupFunc: (backend) => sumStock.setup(backend as KernelBackend),
};

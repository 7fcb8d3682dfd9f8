// Mean for the wasm backend, replacing tfjs-backend-wasm's own for reductions over leading axes
// (e.g. N, H, W of an NHWC batch), which it computes as one matrix product with a row of
// ones (leading-reduction.ts) instead of a transpose and a loop; every other reduction goes to
// the stock kernel it replaced. The mean is the product with a row of 1/R. Follows tfjs's Mean
// kernel (attrs axis, keepDims).
import { Mean } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, MeanAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { inKernelScope } from './kernel-scope.js';
import { planLeadingReduction, reduceLeading } from './leading-reduction.js';
import { StockKernel } from './stock-kernel.js';

/** tfjs-backend-wasm's own Mean, for the reductions this kernel hands back. */
export const meanStock = new StockKernel(Mean);

const mean: KernelFunc = (args) => {
  const { x } = args.inputs as unknown as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as MeanAttrs;
  const plan = planLeadingReduction(x, axis, keepDims);
  if (plan === undefined) return meanStock.run(args, `Mean over axes ${JSON.stringify(axis)} of a ${x.dtype} [${x.shape.join(', ')}] tensor`);
  return inKernelScope(args.backend as KernelBackend, (scope) => reduceLeading(scope, x, plan, 1 / plan.reduced));
};

/** Mean for `wasm`: leading-axis reductions as a product with ones, the rest by the stock kernel. */
export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: mean,
  setupFunc: (backend) => meanStock.setup(backend as KernelBackend),
};

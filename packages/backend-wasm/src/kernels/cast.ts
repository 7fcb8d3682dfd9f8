// Cast for the wasm backend, replacing tfjs-backend-wasm's own, which copies the data even when
// the dtype does not change: a cast to the same dtype shares the data (identity.ts), as
// tfjs-backend-cpu does. tfjs-core's Multiply gradient casts both operands to float32 on every
// backward pass. Real conversions go to the stock kernel. Follows tfjs's Cast kernel (attr dtype).
import { Cast } from '@tensorflow/tfjs-core';
import type { CastAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { sharedView } from './identity.js';
import { StockKernel } from './stock-kernel.js';

/** tfjs-backend-wasm's own Cast, for casts that change the dtype. */
export const castStock = new StockKernel(Cast);

const cast: KernelFunc = (args) => {
  const { x } = args.inputs as unknown as { x: TensorInfo };
  const { dtype } = args.attrs as unknown as CastAttrs;
  if (dtype !== x.dtype || x.dtype === 'string') return castStock.run(args, `casts from ${x.dtype} to ${dtype}`);
  return sharedView(args.backend as KernelBackend, x);
};

/** Cast for `wasm`: same-dtype casts share the data instead of copying it. */
export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast,
  setupFunc: (backend) => castStock.setup(backend as KernelBackend),
};

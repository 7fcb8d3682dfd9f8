// Identity for the wasm backend, replacing tfjs-backend-wasm's own, which copies the data: the
// output shares the input's data and counts one more reference to it, as tfjs-backend-cpu and
// webgl do (tensors are immutable, so sharing is safe). tfjs-core runs Identity for every tensor
// it keeps for the backward pass (tf.clone), hundreds of times per training step. String tensors
// go to the stock kernel. Follows the tfjs kernel registry contract and the wasm backend's
// reference counting (as its Reshape does).
import { Identity } from '@tensorflow/tfjs-core';
import type { IdentityInputs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { StockKernel } from './stock-kernel.js';

/** tfjs-backend-wasm's own Identity, for string tensors. */
export const identityStock = new StockKernel(Identity);

/** `x` under a new TensorInfo that shares its data (one more reference on `backend`). */
export function sharedView(backend: KernelBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

const identity: KernelFunc = (args) => {
  const { x } = args.inputs as unknown as IdentityInputs & { x: TensorInfo };
  if (x.dtype === 'string') return identityStock.run(args, 'string tensors');
  return sharedView(args.backend as KernelBackend, x);
};

/** Identity for `wasm`: shares the data instead of copying it. */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity,
  setupFunc: (backend) => identityStock.setup(backend as KernelBackend),
};

// EffnetSilu for the wasm backend: SiLU's value x·σ(x) in one kernel, what @effnet/blocks'
// siluForward calls (inference, where no gradient needs σ(x) kept) when the active backend
// registers it. One pass of effnet's SIMD kernel (src/simd/kernels.wat: σ from a polynomial
// exponential, within 3e-7 of float32's own) when x is float32 and its size a multiple of 4;
// otherwise the stock Sigmoid and Multiply.
import { util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { inKernelScope } from './kernel-scope.js';

/** The kernel's name, as @effnet/blocks exports it (SILU_KERNEL). */
export const SILU = 'EffnetSilu';

const silu: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as unknown as { x?: TensorInfo };
  if (x === undefined) throw new EffnetBackendError('wasm', `${SILU} needs the input x`);
  if (x.dtype !== 'float32') throw new EffnetBackendError('wasm', `${SILU} needs a float32 x; got ${x.dtype} [${x.shape.join(', ')}]`);
  const size = util.sizeFromShape(x.shape);
  const simd = size % 4 === 0 ? simdKernels(backend as KernelBackend) : null;
  if (simd) {
    const wasm = backend as WasmBackend;
    const out = wasm.makeOutput(x.shape, 'float32');
    if (size > 0) simd.silu(wasm.getMemoryOffset(x.dataId), wasm.getMemoryOffset(out.dataId), size);
    return out;
  }
  return inKernelScope(backend as KernelBackend, (scope) => scope.run('Multiply', { a: x, b: scope.run('Sigmoid', { x }) }));
};

/** EffnetSilu (SiLU's value for @effnet/blocks) for the `wasm` backend. */
export const siluConfig: KernelConfig = {
  kernelName: SILU,
  backendName: 'wasm',
  kernelFunc: silu,
};

// EffnetSiluGrad for the wasm backend: the kernel @effnet/blocks' SiLU gradient calls when the
// active backend registers it (inputs dy, x and s = σ(x), one shape; output dy·(s·(1 + x·(1 − s)))).
// One pass of effnet's SIMD kernel (src/simd/kernels.wat) when the tensors are float32 and their
// size is a multiple of 4; otherwise the same four ops as separate kernels. Either way each step is
// rounded to float32 in the same order, so the values equal the composed ops' bit for bit.
import { util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { inKernelScope } from './kernel-scope.js';

/** The kernel's name, as @effnet/blocks exports it (SILU_GRAD_KERNEL). */
export const SILU_GRAD = 'EffnetSiluGrad';

const siluGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, x, s } = inputs as unknown as Record<'dy' | 'x' | 's', TensorInfo>;
  for (const [name, t] of [['dy', dy], ['x', x], ['s', s]] as const) {
    if (t === undefined) throw new EffnetBackendError('wasm', `${SILU_GRAD} needs inputs dy, x and s; '${name}' is missing`);
    if (t.dtype !== 'float32' || !util.arraysEqual(t.shape, x.shape)) {
      throw new EffnetBackendError('wasm', `${SILU_GRAD} needs float32 dy, x and s of one shape; got ${name} ${t.dtype} [${t.shape.join(', ')}] for x [${x.shape.join(', ')}]`);
    }
  }
  const size = util.sizeFromShape(x.shape);
  const simd = size % 4 === 0 ? simdKernels(backend as KernelBackend) : null;
  if (simd) {
    const wasm = backend as WasmBackend;
    const out = wasm.makeOutput(x.shape, 'float32');
    const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId);
    if (size > 0) simd.siluGrad(at(dy), at(x), at(s), at(out), size);
    return out;
  }
  return inKernelScope(backend as KernelBackend, (scope) => {
    const one = scope.fromValues(Float32Array.of(1), []);
    const inner = scope.run('Add', { a: one, b: scope.run('Multiply', { a: x, b: scope.run('Sub', { a: one, b: s }) }) });
    return scope.run('Multiply', { a: dy, b: scope.run('Multiply', { a: s, b: inner }) });
  });
};

/** EffnetSiluGrad (SiLU's gradient for @effnet/blocks) for the `wasm` backend. */
export const siluGradConfig: KernelConfig = {
  kernelName: SILU_GRAD,
  backendName: 'wasm',
  kernelFunc: siluGrad,
};

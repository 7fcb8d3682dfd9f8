// FusedBatchNorm for the wasm backend, replacing tfjs-backend-wasm's own (a scalar C loop, 4-8×
// the time of one elementwise pass): with per-channel statistics it is y = (x − mean) · a + offset
// with a = scale / √(variance + ε) computed on the C channels, then one pass of effnet's SIMD
// kernel (src/simd/kernels.wat) when C is a multiple of 4, else three broadcast passes (the stock
// broadcast kernels take about 4× one pass each with few channels). Other shapes (statistics not
// per channel, non-float32 data) go to the stock kernel. Follows tfjs's
// FusedBatchNorm kernel (inputs x, mean, variance, optional offset and scale; attr varianceEpsilon).
import { FusedBatchNorm, util } from '@tensorflow/tfjs-core';
import type { FusedBatchNormAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { oneValuePerChannel } from './channel-binary.js';
import { inKernelScope } from './kernel-scope.js';
import { StockKernel } from './stock-kernel.js';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';

/** tfjs-backend-wasm's own FusedBatchNorm, for statistics that are not per channel. */
export const fusedBatchNormStock = new StockKernel(FusedBatchNorm);

const fusedBatchNorm: KernelFunc = (args) => {
  const { x, mean, variance, offset, scale } = args.inputs as unknown as Record<'x' | 'mean' | 'variance', TensorInfo> &
    Partial<Record<'offset' | 'scale', TensorInfo>>;
  const { varianceEpsilon } = args.attrs as unknown as FusedBatchNormAttrs;
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const perChannel = (t: TensorInfo | undefined) => t === undefined || (t.dtype === 'float32' && oneValuePerChannel(t, channels));
  if (x.dtype !== 'float32' || x.shape.length === 0 || util.sizeFromShape(x.shape) === 0 || ![mean, variance, offset, scale].every(perChannel)) {
    return fusedBatchNormStock.run(args, 'statistics that are not one value per channel (the last axis)');
  }
  return inKernelScope(args.backend as KernelBackend, (scope) => {
    const flat = (t: TensorInfo) => scope.reshape(t, [channels]);
    const eps = scope.fromValues(Float32Array.of(varianceEpsilon), [1]);
    let a = scope.run('Rsqrt', { x: scope.run('Add', { a: flat(variance), b: eps }) });
    if (scale !== undefined) a = scope.run('Multiply', { a, b: flat(scale) });
    const simd = channels % 4 === 0 ? simdKernels(scope.backend) : null;
    if (simd) {
      const backend = scope.backend as WasmBackend;
      const bias = offset === undefined ? scope.run('Fill', [], { shape: [channels], value: 0, dtype: 'float32' }) : offset;
      const y = scope.track(backend.makeOutput(x.shape, 'float32'));
      const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
      simd.channelAffine(at(x), at(y), at(mean), at(a), at(bias), util.sizeFromShape(x.shape) / channels, channels);
      return y;
    }
    let y = scope.run('Multiply', { a: scope.run('Sub', { a: x, b: flat(mean) }), b: a });
    if (offset !== undefined) y = scope.run('Add', { a: y, b: flat(offset) });
    return y;
  });
};

/** FusedBatchNorm for `wasm`: per-channel statistics as three broadcast passes. */
export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'wasm',
  kernelFunc: fusedBatchNorm,
  setupFunc: (backend) => fusedBatchNormStock.setup(backend as KernelBackend),
};

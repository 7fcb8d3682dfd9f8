// The two kernels @effnet/blocks' batch norm calls in training when the active backend registers
// them: EffnetBatchMoments (the batch's mean and biased variance over N, H, W of an NHWC float32
// x) and EffnetBatchNormGrad (the closed-form gradients [dx, dγ, dβ] from dy, x, the batch's mean
// and variance, γ and attr eps; see blocks' batch-norm.ts for the formula). Composed of tfjs
// kernels they are 6 and 17 calls, 4 and 10 passes over whole activations; with the channels a
// multiple of 4, effnet's SIMD kernels (src/simd/kernels.wat) make them 2 and 2 passes, the
// per-channel factors between them computed by the same kernels as before on C values. Each value
// is rounded in the order the composed kernels round it, so both equal the composed path's bit for
// bit, which other channel counts still take.
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { inKernelScope, type KernelScope } from './kernel-scope.js';

/** The kernels' names, as @effnet/blocks exports them (BATCH_MOMENTS_KERNEL, BATCH_NORM_GRAD_KERNEL). */
export const BATCH_MOMENTS = 'EffnetBatchMoments';
export const BATCH_NORM_GRAD = 'EffnetBatchNormGrad';

/** `t` as an error message names it. */
function described(t: TensorInfo | undefined): string {
  return t === undefined ? 'nothing' : `${t.dtype} [${t.shape.join(', ')}]`;
}

/** Channels and the number of values per channel of an NHWC float32 `x`; throws for anything else. */
function checkActivation(kernel: string, name: string, x: TensorInfo | undefined): { channels: number; rows: number } {
  if (x === undefined || x.dtype !== 'float32' || x.shape.length !== 4) {
    throw new EffnetBackendError('wasm', `${kernel} needs ${name} as a float32 NHWC tensor; got ${described(x)}`);
  }
  const [n, h, w, channels] = x.shape as [number, number, number, number];
  return { channels, rows: n * h * w };
}

/** Throws unless each of `tensors` is float32 [channels]. */
function checkPerChannel(kernel: string, channels: number, tensors: Record<string, TensorInfo | undefined>): void {
  for (const [name, t] of Object.entries(tensors)) {
    if (t === undefined || t.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== channels) {
      throw new EffnetBackendError('wasm', `${kernel} needs ${name} as float32 [${channels}] (one value per channel of x); got ${described(t)}`);
    }
  }
}

/** The SIMD kernels, where the channels allow them and the runtime has them. */
function simdFor(backend: KernelBackend, channels: number, rows: number) {
  return channels % 4 === 0 && rows > 0 ? simdKernels(backend) : null;
}

const batchMoments: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as unknown as { x?: TensorInfo };
  const { channels, rows } = checkActivation(BATCH_MOMENTS, 'x', x);
  return inKernelScope(backend as KernelBackend, (scope) => {
    const simd = simdFor(scope.backend, channels, rows);
    if (!simd) {
      // tf.moments' kernels: the mean, then the mean of the squared deviations from it.
      const mean = scope.run('Mean', { x: x! }, { axis: [0, 1, 2], keepDims: false });
      const deviations = scope.run('Sub', { a: x!, b: scope.reshape(mean, [1, 1, 1, channels]) });
      return [mean, scope.run('Mean', { x: scope.run('Square', { x: deviations }) }, { axis: [0, 1, 2], keepDims: false })];
    }
    const wasm = scope.backend as WasmBackend;
    const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId);
    const [mean, variance, scratch] = [0, 1, 2].map(() => scope.track(wasm.makeOutput([channels], 'float32'))) as [TensorInfo, TensorInfo, TensorInfo];
    simd.sumLeading(at(x!), at(mean), at(scratch), 1, rows, channels, 1 / rows, 0);
    simd.sumLeading(at(x!), at(variance), at(scratch), 1, rows, channels, 1 / rows, at(mean));
    return [mean, variance];
  });
};

/** γ/σ and the per-channel factors of dx, from Σdy and Σdy·(x − μ): the composed path's kernels on C values. */
function perChannelFactors(scope: KernelScope, sums: { sumDy: TensorInfo; sumDyC: TensorInfo }, variance: TensorInfo, gamma: TensorInfo, eps: number, rows: number) {
  const invStd = scope.run('Rsqrt', { x: scope.run('Add', { a: variance, b: scope.fromValues(Float32Array.of(eps), []) }) });
  const negCount = scope.fromValues(Float32Array.of(-rows), []);
  const dGamma = scope.run('Multiply', { a: sums.sumDyC, b: invStd });
  const scale = scope.run('Multiply', { a: gamma, b: invStd });
  const perCentred = scope.run('Multiply', { a: scale, b: scope.run('Multiply', { a: invStd, b: scope.run('RealDiv', { a: dGamma, b: negCount }) }) });
  const perChannel = scope.run('Multiply', { a: scale, b: scope.run('RealDiv', { a: sums.sumDy, b: negCount }) });
  return { dGamma, scale, perCentred, perChannel };
}

const batchNormGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, mean, variance, gamma } = inputs as unknown as Partial<Record<'dy' | 'x' | 'mean' | 'variance' | 'gamma', TensorInfo>>;
  const eps = (attrs as { eps?: unknown } | undefined)?.eps;
  const { channels, rows } = checkActivation(BATCH_NORM_GRAD, 'x', x);
  checkActivation(BATCH_NORM_GRAD, 'dy', dy);
  if (dy!.shape.some((d, i) => d !== x!.shape[i])) {
    throw new EffnetBackendError('wasm', `${BATCH_NORM_GRAD} needs dy of x's shape [${x!.shape.join(', ')}]; got [${dy!.shape.join(', ')}]`);
  }
  checkPerChannel(BATCH_NORM_GRAD, channels, { mean, variance, gamma });
  if (typeof eps !== 'number' || !(eps > 0)) throw new EffnetBackendError('wasm', `${BATCH_NORM_GRAD} needs attr eps, a positive number; got ${String(eps)}`);
  return inKernelScope(backend as KernelBackend, (scope) => {
    const simd = simdFor(scope.backend, channels, rows);
    if (!simd) {
      // The composed path, kernel for kernel (blocks' batchNormGradients on any backend).
      const centred = scope.run('Sub', { a: x!, b: mean! });
      const sumDy = scope.run('Sum', { x: dy! }, { axis: [0, 1, 2], keepDims: false });
      const sumDyC = scope.run('Sum', { x: scope.run('Multiply', { a: dy!, b: centred }) }, { axis: [0, 1, 2], keepDims: false });
      const f = perChannelFactors(scope, { sumDy, sumDyC }, variance!, gamma!, eps, rows);
      const scaled = scope.run('Add', { a: scope.run('Multiply', { a: dy!, b: f.scale }), b: scope.run('Multiply', { a: centred, b: f.perCentred }) });
      return [scope.run('Add', { a: scaled, b: f.perChannel }), f.dGamma, sumDy];
    }
    const wasm = scope.backend as WasmBackend;
    const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId);
    const [sumDy, sumDyC, accDy, accDyC] = [0, 1, 2, 3].map(() => scope.track(wasm.makeOutput([channels], 'float32'))) as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
    simd.batchNormGradSums(at(dy!), at(x!), at(mean!), at(sumDy), at(sumDyC), at(accDy), at(accDyC), rows, channels);
    const f = perChannelFactors(scope, { sumDy, sumDyC }, variance!, gamma!, eps, rows);
    const dx = scope.track(wasm.makeOutput(x!.shape, 'float32'));
    simd.batchNormGradInput(at(dy!), at(x!), at(mean!), at(f.scale), at(f.perCentred), at(f.perChannel), at(dx), rows, channels);
    return [dx, f.dGamma, sumDy];
  });
};

/** EffnetBatchMoments (batch-norm statistics for @effnet/blocks) for the `wasm` backend. */
export const batchMomentsConfig: KernelConfig = { kernelName: BATCH_MOMENTS, backendName: 'wasm', kernelFunc: batchMoments };

/** EffnetBatchNormGrad (batch norm's training gradients for @effnet/blocks) for the `wasm` backend. */
export const batchNormGradConfig: KernelConfig = { kernelName: BATCH_NORM_GRAD, backendName: 'wasm', kernelFunc: batchNormGrad };

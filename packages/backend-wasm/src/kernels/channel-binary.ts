// Add, Sub and Multiply for the wasm backend, replacing tfjs-backend-wasm's own where one float32
// operand is [..., C] and the other holds one value per channel ([C] or [1, ..., 1, C]), with C a
// multiple of 4: batch norm's forward and backward passes broadcast per-channel statistics over
// whole activations. The stock kernels index such broadcasts element by element (about 4× a
// same-shape pass with 24 channels); effnet's SIMD kernel (src/simd/kernels.wat) runs them as one
// pass, each value rounded as the stock kernel rounds it. Every other case goes to the stock kernel.
import { Add, Multiply, Sub, util } from '@tensorflow/tfjs-core';
import type { BinaryInputs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, type WasmBackend } from '../simd/simd-kernels.js';
import { StockKernel } from './stock-kernel.js';

/** Whether `t` holds one value per channel: `channels` values, every axis but the last of size 1. */
export function oneValuePerChannel(t: TensorInfo, channels: number): boolean {
  return util.sizeFromShape(t.shape) === channels && t.shape.slice(0, -1).every((d) => d === 1);
}

/** The [full, per-channel] pair of a broadcast this module runs, or undefined. */
function channelBroadcast(a: TensorInfo, b: TensorInfo, commutes: boolean): [TensorInfo, TensorInfo] | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || util.arraysEqual(a.shape, b.shape)) return undefined;
  const pick = (full: TensorInfo, v: TensorInfo): [TensorInfo, TensorInfo] | undefined => {
    const channels = full.shape[full.shape.length - 1] ?? 0;
    // v's rank at most full's, so that the broadcast's shape is full's
    return channels > 0 && channels % 4 === 0 && util.sizeFromShape(full.shape) > 0 && v.shape.length <= full.shape.length && oneValuePerChannel(v, channels) ? [full, v] : undefined;
  };
  return pick(a, b) ?? (commutes ? pick(b, a) : undefined);
}

function channelBinaryConfig(kernelName: string, op: number, commutes: boolean): { config: KernelConfig; stock: StockKernel } {
  const stock = new StockKernel(kernelName);
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as unknown as BinaryInputs & Record<'a' | 'b', TensorInfo>;
    const pair = channelBroadcast(a, b, commutes);
    const simd = pair ? simdKernels(args.backend as KernelBackend) : null;
    if (!pair || !simd) return stock.run(args, `${a.dtype} [${a.shape.join(', ')}] and ${b.dtype} [${b.shape.join(', ')}]`);
    const [full, v] = pair;
    const backend = args.backend as WasmBackend;
    const out = backend.makeOutput(full.shape, 'float32');
    const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
    const channels = full.shape[full.shape.length - 1]!;
    simd.channelBinary(op, at(full), at(v), at(out), util.sizeFromShape(full.shape) / channels, channels);
    return out;
  };
  return { config: { kernelName, backendName: 'wasm', kernelFunc, setupFunc: (backend) => stock.setup(backend as KernelBackend) }, stock };
}

/** Add for `wasm`: per-channel broadcasts by the SIMD kernel, the rest by the stock kernel. */
export const channelAdd = channelBinaryConfig(Add, 0, true);
/** Sub for `wasm`: x − per-channel values by the SIMD kernel, the rest by the stock kernel. */
export const channelSub = channelBinaryConfig(Sub, 1, false);
/** Multiply for `wasm`: per-channel broadcasts by the SIMD kernel, the rest by the stock kernel. */
export const channelMultiply = channelBinaryConfig(Multiply, 2, true);

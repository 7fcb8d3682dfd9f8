// Registers the wasm kernels with tfjs-core's kernel registry: the gradient kernels
// tfjs-backend-wasm lacks, refusing to register a kernel twice (the error names
// the first registrant and this one), and the faster replacements of its own kernels, which keep
// the replaced registration as their fallback.
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { WASM_GRADIENT_KERNELS, WASM_REPLACEMENT_KERNELS } from './gradient-kernels.js';

const OWNER = Symbol.for('@effnet/backend-wasm/owner');
const HERE = `@effnet/backend-wasm (${import.meta.url})`;

type Owned = KernelConfig & { [OWNER]?: string };

function alreadyRegistered(kernelName: string, first: string): EffnetBackendError {
  return new EffnetBackendError(
    'wasm',
    `kernel '${kernelName}' is already registered by ${first}; ${HERE} tried to register it again. ` +
      'Import @effnet/backend-wasm once (run `npm dedupe` if two copies are installed).',
  );
}

/**
 * Registers Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
 * DepthwiseConv2dNativeBackpropInput, and for @effnet/blocks EffnetSiluGrad (SiLU's gradient),
 * EffnetSilu (SiLU's value in inference), EffnetBatchMoments and EffnetBatchNormGrad (batch norm
 * in training), EffnetPointwiseConv and EffnetDepthwiseConv (inference convolutions with SiLU), for the `wasm` backend,
 * then {@link replaceStockKernels}.
 * Throws `EffnetBackendError` naming both registrants when any of them is already registered.
 */
export function registerWasmGradientKernels(): void {
  for (const config of WASM_GRADIENT_KERNELS) {
    const existing = getKernel(config.kernelName, 'wasm') as Owned | undefined;
    if (existing !== undefined) throw alreadyRegistered(config.kernelName, existing[OWNER] ?? 'another package (not @effnet/backend-wasm)');
  }
  for (const { config } of WASM_REPLACEMENT_KERNELS) {
    const owner = (getKernel(config.kernelName, 'wasm') as Owned | undefined)?.[OWNER];
    if (owner !== undefined) throw alreadyRegistered(config.kernelName, owner);
  }
  for (const config of WASM_GRADIENT_KERNELS) {
    registerKernel({ ...config, [OWNER]: HERE } as Owned);
  }
  replaceStockKernels();
}

/**
 * Registers each of `WASM_REPLACEMENT_KERNELS` (Conv2DBackpropInput, Sum, Mean, Identity, Cast, FusedBatchNorm, Add, Sub, Multiply, Transpose, BatchMatMul, DepthwiseConv2dNative, FusedDepthwiseConv2D, Conv2D, FusedConv2D) over tfjs-backend-wasm's own
 * registration, which it keeps as its fallback. Kernels whose stock version is not registered yet
 * (tfjs-backend-wasm not imported yet) are left for a later call: the adapter's `activate()`
 * calls this after loading tfjs-backend-wasm. Calling it again changes nothing; throws
 * `EffnetBackendError` when another copy of this package already replaced a kernel.
 */
export function replaceStockKernels(): void {
  for (const { config, stock } of WASM_REPLACEMENT_KERNELS) {
    const existing = getKernel(config.kernelName, 'wasm') as Owned | undefined;
    if (existing === undefined) continue;
    const owner = existing[OWNER];
    if (owner === HERE) continue;
    if (owner !== undefined) throw alreadyRegistered(config.kernelName, owner);
    stock.adopt(existing);
    unregisterKernel(config.kernelName, 'wasm');
    registerKernel({ ...config, [OWNER]: HERE } as Owned);
  }
}

// Registers the wasm gradient kernels with tfjs-core's kernel registry, refusing to register a
// kernel twice (STYLE.md rule 4): the error names the first registrant and this one.
import { getKernel, registerKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { WASM_GRADIENT_KERNELS } from './gradient-kernels.js';

const OWNER = Symbol.for('@effnet/backend-wasm/owner');
const HERE = `@effnet/backend-wasm (${import.meta.url})`;

type Owned = KernelConfig & { [OWNER]?: string };

/**
 * Registers Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter and
 * DepthwiseConv2dNativeBackpropInput for the `wasm` backend. Throws `EffnetBackendError` naming
 * both registrants when any of them is already registered.
 */
export function registerWasmGradientKernels(): void {
  for (const config of WASM_GRADIENT_KERNELS) {
    const existing = getKernel(config.kernelName, 'wasm') as Owned | undefined;
    if (existing !== undefined) {
      const first = existing[OWNER] ?? 'another package (not @effnet/backend-wasm)';
      throw new EffnetBackendError(
        'wasm',
        `kernel '${config.kernelName}' is already registered by ${first}; ${HERE} tried to register it again. ` +
          'Import @effnet/backend-wasm once (run `npm dedupe` if two copies are installed).',
      );
    }
  }
  for (const config of WASM_GRADIENT_KERNELS) {
    registerKernel({ ...config, [OWNER]: HERE } as Owned);
  }
}

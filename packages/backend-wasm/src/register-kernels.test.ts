// Registration: the three kernels land on `wasm`, and a second registration is an
// EffnetBackendError naming both registrants.
import { getKernel } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetBackendError, getAdapter } from '@effnet/backends';
import { WASM_GRADIENT_KERNELS, registerWasmGradientKernels, wasmAdapter } from './index.js';

describe('register-all', () => {
  it('registers the three gradient kernels for wasm and the wasm adapter', () => {
    expect(WASM_GRADIENT_KERNELS.map((k) => k.kernelName).sort()).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
    ]);
    for (const k of WASM_GRADIENT_KERNELS) expect(getKernel(k.kernelName, 'wasm')?.backendName).toBe('wasm');
    expect(getAdapter('wasm')).toBe(wasmAdapter);
  });

  it('registering the kernels twice throws naming both registrants', () => {
    let caught: unknown;
    try {
      registerWasmGradientKernels();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EffnetBackendError);
    const message = (caught as Error).message;
    expect(message).toContain("kernel 'Conv2DBackpropFilter' is already registered by @effnet/backend-wasm (file:");
    expect(message).toMatch(/tried to register it again/);
    expect(message.match(/@effnet\/backend-wasm \(file:/g)).toHaveLength(2);
  });

  it('the adapter reports wasm available in Node and its capabilities', async () => {
    expect(await wasmAdapter.isAvailable()).toEqual({ available: true });
    expect(wasmAdapter.platform).toBe('node');
    expect(wasmAdapter.capabilities.training).toBe(true);
  });
});

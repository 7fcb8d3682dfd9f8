// Registration: the three kernels land on `wasm`, a second registration is an
// EffnetBackendError naming both registrants, and activation replaces the stock Conv2DBackpropInput.
import { getKernel } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetBackendError, getAdapter } from '@effnet/backends';
import * as tf from '@tensorflow/tfjs-core';
import { WASM_GRADIENT_KERNELS, WASM_REPLACEMENT_KERNELS, registerWasmGradientKernels, replaceStockKernels, wasmAdapter } from './index.js';

describe('register-all', () => {
  it('registers the three gradient kernels and the six kernels of @effnet/blocks for wasm, and the wasm adapter', () => {
    expect(WASM_GRADIENT_KERNELS.map((k) => k.kernelName).sort()).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'EffnetBatchMoments',
      'EffnetBatchNormGrad',
      'EffnetDepthwiseConv',
      'EffnetPointwiseConv',
      'EffnetSilu',
      'EffnetSiluGrad',
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

  it("activate() puts the faster Conv2DBackpropInput over tfjs-backend-wasm's own, keeping it as the fallback", async () => {
    expect(WASM_REPLACEMENT_KERNELS.map((k) => k.config.kernelName)).toEqual(['Conv2DBackpropInput', 'Sum', 'Mean', 'Identity', 'Cast', 'FusedBatchNorm', 'Add', 'Sub', 'Multiply', 'Transpose', 'BatchMatMul', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D', 'Conv2D', 'FusedConv2D']);
    const [{ config, stock }] = WASM_REPLACEMENT_KERNELS as [(typeof WASM_REPLACEMENT_KERNELS)[0]];
    // Importing this package does not load tfjs-backend-wasm, so there is nothing to replace yet.
    expect(getKernel('Conv2DBackpropInput', 'wasm')).toBeUndefined();
    await wasmAdapter.activate();
    expect(tf.getBackend()).toBe('wasm');
    expect(getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    expect(stock.adopted).toBe(true);
    replaceStockKernels(); // a second call changes nothing
    expect(getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    await tf.setBackend('cpu');
  });

  it('the adapter reports wasm available in Node and its capabilities', async () => {
    expect(await wasmAdapter.isAvailable()).toEqual({ available: true });
    expect(wasmAdapter.platform).toBe('node');
    expect(wasmAdapter.capabilities.training).toBe(true);
  });
});

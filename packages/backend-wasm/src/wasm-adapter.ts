// The `wasm` BackendAdapter: tfjs-backend-wasm (XNNPACK, SIMD, optional threads), loaded on
// activate() so that importing this package does not change tfjs's default backend. Training
// works because register-all.ts adds the gradient kernels the wasm backend lacks; activate()
// also puts this package's faster kernels over the stock ones it replaces (replaceStockKernels)
// and makes the backend's tensors 16-byte aligned (alignAllocations).
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError, timeFirstCall } from '@effnet/backends';
import type { BackendAdapter, BackendAvailability, BackendDescription } from '@effnet/backends';
import { browserWasmFiles, isNode, nodeWasmDir } from './wasm-paths.js';
import { alignAllocations } from './aligned-allocations.js';
import { replaceStockKernels } from './register-kernels.js';
import { withRequestedThreads } from './wasm-threads.js';

const INSTALL = 'npm install @effnet/backend-wasm @tensorflow/tfjs-backend-wasm';

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

async function loadWasm(): Promise<WasmModule> {
  try {
    return await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    throw new EffnetBackendError('wasm', `@tensorflow/tfjs-backend-wasm could not be loaded (${String(error)}); run \`${INSTALL}\``);
  }
}

/** The adapter `@effnet/backend-wasm` registers as `wasm`. */
export const wasmAdapter: BackendAdapter = {
  name: 'wasm',
  platform: isNode() ? 'node' : 'browser',
  priority: 20,
  install: INSTALL,
  capabilities: { inference: true, training: true, float16: false, multithreading: true },

  async isAvailable(): Promise<BackendAvailability> {
    if (typeof WebAssembly === 'undefined') {
      return { available: false, reason: 'WebAssembly is not supported by this runtime' };
    }
    if (isNode() && (await nodeWasmDir()) === undefined) {
      return { available: false, reason: `@tensorflow/tfjs-backend-wasm is not installed; run \`${INSTALL}\`` };
    }
    return { available: true };
  },

  async activate(): Promise<void> {
    const wasm = await loadWasm();
    // Loading tfjs-backend-wasm registered its own kernels: put the faster ones over them.
    replaceStockKernels();
    // Node: the installed package's dist/; browsers: the bundler-emitted URLs (or setWasmFiles).
    const dir = await nodeWasmDir();
    wasm.setWasmPaths(dir ?? (browserWasmFiles() as Parameters<WasmModule['setWasmPaths']>[0]));
    const ok = await withRequestedThreads(wasm.setThreadsCount, () => tf.setBackend('wasm'));
    if (!ok) throw new EffnetBackendError('wasm', 'tfjs-backend-wasm failed to initialise (see the console); check that its .wasm files are served');
    await tf.ready();
    // Before any tensor of the run is made: 16-byte aligned tensors for the SIMD kernels.
    alignAllocations(tf.backend());
  },

  async describe(): Promise<BackendDescription> {
    const wasm = await loadWasm();
    const active = tf.getBackend() === 'wasm';
    return {
      name: 'wasm',
      tfjsBackend: 'wasm',
      versions: { 'tfjs-core': tf.version_core, 'tfjs-backend-wasm': wasm.version_wasm },
      ...(active ? { threads: wasm.getThreadsCount(), simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT') } : {}),
    };
  },

  warmup: timeFirstCall,
};

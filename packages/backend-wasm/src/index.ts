// @effnet/backend-wasm: importing it registers the `wasm` adapter and the gradient kernels
// tfjs-backend-wasm lacks (register-all.ts), so training runs on WebAssembly.
import './register-all.js';

export { wasmAdapter } from './wasm-adapter.js';
export { setWasmFiles, type WasmFileName } from './wasm-paths.js';
export { setWasmThreads } from './wasm-threads.js';
export { registerWasmGradientKernels, replaceStockKernels } from './register-kernels.js';
export { WASM_GRADIENT_KERNELS, WASM_REPLACEMENT_KERNELS, type ReplacementKernel } from './gradient-kernels.js';
export { StockKernel } from './kernels/stock-kernel.js';
export { simdKernelsActive } from './simd/simd-kernels.js';

// The only side effect of @effnet/backend-wasm (`sideEffects` in package.json says so):
// registers the wasm gradient kernels with tfjs-core and the `wasm` adapter with @effnet/backends.
import { registerAdapter } from '@effnet/backends';
import { registerWasmGradientKernels } from './register-kernels.js';
import { wasmAdapter } from './wasm-adapter.js';

registerWasmGradientKernels();
registerAdapter(wasmAdapter, '@effnet/backend-wasm');

// The only side effect of @effnet/backend-wasm (STYLE.md rule 4, `sideEffects` in package.json):
// registers the wasm gradient kernels with tfjs-core and the `wasm` adapter with @effnet/backends.
import { registerAdapter } from '@effnet/backends';
import { registerWasmGradientKernels } from './register-kernels.js';
import { wasmAdapter } from './wasm-adapter.js';

registerWasmGradientKernels();
registerAdapter(wasmAdapter, '@effnet/backend-wasm');

// @effnet/backend-node: importing it registers the `node` (tfjs-node) and `node-gpu`
// (tfjs-node-gpu) adapters (register-all.ts); both packages are optional peers.
import './register-all.js';

export type { NativeAdapterOptions, NativeLoader } from './native-adapter.js';
export { NODE_LOADER, nativeAdapter, nodeAdapter, nodeGpuAdapter } from './native-adapter.js';

// The only side effect of @effnet/backend-node (`sideEffects` in package.json says so):
// registers the `node` and `node-gpu` adapters with @effnet/backends (neither loads its package).
import { registerAdapter } from '@effnet/backends';
import { nodeAdapter, nodeGpuAdapter } from './native-adapter.js';

registerAdapter(nodeAdapter, '@effnet/backend-node');
registerAdapter(nodeGpuAdapter, '@effnet/backend-node');

// The only side effect of @effnet/backend-cpu (`sideEffects` in package.json says so):
// registers the `cpu` adapter with @effnet/backends. tfjs-backend-cpu already has every kernel.
import { registerAdapter } from '@effnet/backends';
import { cpuAdapter } from './cpu-adapter.js';

registerAdapter(cpuAdapter, '@effnet/backend-cpu');

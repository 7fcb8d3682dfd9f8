// The only side effect of @effnet/backend-webgpu (`sideEffects` in
// package.json): registers the `webgpu` adapter with @effnet/backends.
import { registerAdapter } from '@effnet/backends';
import { webgpuAdapter } from './webgpu-adapter.js';

registerAdapter(webgpuAdapter, '@effnet/backend-webgpu');

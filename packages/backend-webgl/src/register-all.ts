// The only side effect of @effnet/backend-webgl (`sideEffects` in package.json says so):
// registers the `webgl` adapter with @effnet/backends.
import { registerAdapter } from '@effnet/backends';
import { webglAdapter } from './webgl-adapter.js';

registerAdapter(webglAdapter, '@effnet/backend-webgl');

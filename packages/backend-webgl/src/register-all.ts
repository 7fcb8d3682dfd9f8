// The only side effect of @effnet/backend-webgl (STYLE.md rule 4, `sideEffects` in package.json):
// registers the `webgl` adapter with @effnet/backends.
import { registerAdapter } from '@effnet/backends';
import { webglAdapter } from './webgl-adapter.js';

registerAdapter(webglAdapter, '@effnet/backend-webgl');

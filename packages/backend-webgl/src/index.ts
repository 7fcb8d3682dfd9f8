// @effnet/backend-webgl: importing it registers the `webgl` adapter (register-all.ts).
import './register-all.js';

export { probeWebgl, webglAdapter } from './webgl-adapter.js';

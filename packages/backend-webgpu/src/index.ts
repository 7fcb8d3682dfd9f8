// @effnet/backend-webgpu: importing it registers the `webgpu` adapter (register-all.ts).
import './register-all.js';

export { probeWebgpu, webgpuAdapter } from './webgpu-adapter.js';

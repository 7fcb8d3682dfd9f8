// @effnet/backend-cpu: importing it registers the `cpu` adapter (register-all.ts).
import './register-all.js';

export { cpuAdapter } from './cpu-adapter.js';

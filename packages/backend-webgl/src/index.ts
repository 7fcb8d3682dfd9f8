// @effnet/backend-webgl: importing it registers the `webgl` adapter (register-all.ts).
import './register-all.js';

export { probeWebgl, webglAdapter } from './webgl-adapter.js';
export { POINTWISE_CONV } from './kernels/pointwise-conv.js';
export { GLOBAL_MEAN } from './kernels/global-mean.js';
export { SILU } from './kernels/silu.js';
export { DEPTHWISE_CONV } from './kernels/depthwise-conv.js';
export { CONV } from './kernels/conv.js';
export { UPLOAD } from './kernels/upload.js';
export { ELEMENTWISE } from './kernels/elementwise.js';

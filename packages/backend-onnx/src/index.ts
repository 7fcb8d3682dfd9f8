// @effnet/backend-onnx: importing it registers the `onnx` adapter (register-all.ts).
import './register-all.js';
export { onnxAdapter } from './onnx-adapter.js';
export { OnnxModel, type OnnxModelOptions } from './onnx-model.js';
export { loadRuntime, type OnnxRuntime } from './onnx-runtime.js';

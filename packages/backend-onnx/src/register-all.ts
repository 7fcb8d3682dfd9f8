// The only side effect of @effnet/backend-onnx (`sideEffects` in package.json): registers the
// `onnx` adapter with @effnet/backends.
import { registerAdapter } from '@effnet/backends';
import { onnxAdapter } from './onnx-adapter.js';

registerAdapter(onnxAdapter, '@effnet/backend-onnx');

// The CLI runs in Node: it registers every backend plugin effnet has (each is an adapter
// registration and nothing else until activated) and tfjs's gradient functions, which
// tfjs-core alone lacks and @tensorflow/tfjs's Node build registers.
import '@tensorflow/tfjs';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import '@effnet/backend-node';
import '@effnet/backend-webgl';
import '@effnet/backend-webgpu';
import '@effnet/backend-onnx';

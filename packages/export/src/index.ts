// @effnet/export: the public surface.
export { toOnnx, type OnnxOptions } from './onnx/to-onnx.js';
export type { SamePaddingStyle } from './onnx/onnx-graph.js';
export { EffnetExportError } from './errors.js';
export { toGraphModel, SHARD_BYTES, type GraphModelOptions } from './graph-model/to-graph-model.js';
export { toStateDict, type StateDictFormat } from './torch/to-state-dict.js';

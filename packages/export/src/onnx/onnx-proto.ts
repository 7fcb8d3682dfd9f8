// The ONNX protobuf messages, compiled by protobufjs from the official onnx.proto (ONNX 1.10, IR
// version 8) and shipped by the `onnx-proto` package, which is CommonJS: loaded here once.
import onnxProto from 'onnx-proto';

/** The `onnx` namespace of the schema (ModelProto, GraphProto, NodeProto, TensorProto, …). */
export const onnx = onnxProto.onnx;

/** IR version of the schema the messages follow. */
export const IR_VERSION = onnx.Version.IR_VERSION;

/** The schema's types (onnx.IModelProto, onnx.INodeProto, …). */
export type { onnx as Onnx } from 'onnx-proto';

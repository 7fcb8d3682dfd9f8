// How an ONNX file stores its weights: float32 initializers as they are; float16 initializers
// followed by a Cast to float; or uint8 initializers with a float scale and uint8 zero point per
// tensor or per output channel, followed by DequantizeLinear (opset 13: per-axis with `axis`).
// Biases and other vectors stay float32.
import { quantize, type WeightQuantization } from '@effnet/models';
import type { WeightEncoder } from './onnx-graph.js';
import { onnx } from './onnx-proto.js';

/** The encoder of a quantisation setting. */
export function weightEncoder(quantization: WeightQuantization | null): WeightEncoder {
  return (g, name, dims, values, channelAxis) => {
    if (!quantization || channelAxis === null) return g.floats(name, dims, values);
    const q = quantize(values, dims, quantization, channelAxis);
    if (q.dtype === 'float16') {
      g.initializers.push({ name: `${name}_f16`, dims, dataType: onnx.TensorProto.DataType.FLOAT16, rawData: new Uint8Array(q.data.buffer, q.data.byteOffset, q.data.byteLength) });
      return g.node('Cast', [`${name}_f16`], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }], name);
    }
    g.initializers.push({ name: `${name}_q`, dims, dataType: onnx.TensorProto.DataType.UINT8, rawData: q.data as Uint8Array });
    const perChannel = q.scales.length > 1;
    const scaleDims = perChannel ? [q.scales.length] : [];
    g.floats(`${name}_scale`, scaleDims, q.scales);
    g.initializers.push({ name: `${name}_zero`, dims: scaleDims, dataType: onnx.TensorProto.DataType.UINT8, rawData: q.zeroPoints });
    const axis = perChannel ? [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: channelAxis }] : [];
    return g.node('DequantizeLinear', [`${name}_q`, `${name}_scale`, `${name}_zero`], axis, name);
  };
}

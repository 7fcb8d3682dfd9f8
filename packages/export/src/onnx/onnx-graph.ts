// Translates an inference form (@effnet/models) into ONNX nodes and initializers, node by node:
// values are NCHW inside (ONNX's convolution layout), conv kernels OIHW, depthwise convolutions
// Conv with group = C, 'same' padding as explicit asymmetric pads or as auto_pad SAME_UPPER
// (TensorFlow's rule: the odd pixel after), SiLU as Sigmoid·x, GELU through Erf, nearest resize
// as Resize(asymmetric, floor) — tf.image.resizeNearestNeighbor's sampling.
import type { FormConstant, FormNode, InferenceForm } from '@effnet/models';
import { EffnetExportError } from '../errors.js';
import { convToOihw, depthwiseToOihw } from '../layouts.js';
import { onnx, type Onnx } from './onnx-proto.js';

type Attribute = Onnx.IAttributeProto;

/** Attribute helpers (the AttributeProto type field is required by the checker). */
const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints }),
  float: (name: string, f: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }),
  string: (name: string, s: string): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) }),
};

/** Writes one weight (already in ONNX layout) and returns the name of its float32 value (onnx-weights.ts makes them). */
export type WeightEncoder = (g: OnnxGraphBuilder, name: string, dims: number[], values: Float32Array, channelAxis: number | null) => string;

/** How 'same' padding is written. */
export type SamePaddingStyle = 'explicit' | 'auto-pad';

/** Collects the nodes and initializers of one ONNX graph. */
export class OnnxGraphBuilder {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly initializers: Onnx.ITensorProto[] = [];
  private readonly written = new Set<string>();
  private readonly weightsWritten = new Set<string>();
  private counter = 0;

  constructor(private readonly weights: WeightEncoder) {}

  node(opType: string, inputs: string[], attribute: Attribute[] = [], output?: string): string {
    const out = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({ opType, input: inputs, output: [out], name: `${opType}_${this.nodes.length}`, attribute });
    return out;
  }

  /** A float32 initializer written as is (biases, scalars, shapes of small constants). */
  floats(name: string, dims: number[], values: Float32Array): string {
    if (this.written.has(name)) return name;
    this.written.add(name);
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: littleEndian(values) });
    return name;
  }

  int64s(name: string, values: number[]): string {
    if (this.written.has(name)) return name;
    this.written.add(name);
    const bytes = new Uint8Array(8 * values.length);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: bytes });
    return name;
  }

  /** A weight in ONNX layout, through the encoder (float32, float16 or uint8 + DequantizeLinear). */
  weight(name: string, constant: FormConstant): string {
    if (this.weightsWritten.has(name)) return name;
    this.weightsWritten.add(name);
    const converted =
      constant.role === 'kernel' ? convToOihw(constant.values, constant.shape) : constant.role === 'depthwise-kernel' ? depthwiseToOihw(constant.values, constant.shape) : { shape: constant.shape, values: constant.values };
    return this.weights(this, name, converted.shape, converted.values, constant.role === 'vector' ? null : constant.role === 'linear-kernel' ? 1 : 0);
  }
}

/** The bytes of float32 values in little-endian order (ONNX raw_data). */
export function littleEndian(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(4 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}

function pads(node: { pads: [number, number, number, number]; padding: string }, style: SamePaddingStyle): Attribute {
  if (node.padding === 'same' && style === 'auto-pad') return attr.string('auto_pad', 'SAME_UPPER');
  const [top, bottom, left, right] = node.pads;
  return attr.ints('pads', [top, left, bottom, right]);
}

/**
 * Adds the nodes of `form` to `g`, reading `input` (NCHW).
 *
 * @returns The ONNX value name of every form output.
 */
export function translateForm(g: OnnxGraphBuilder, form: InferenceForm, input: string, style: SamePaddingStyle): Map<string, string> {
  const names = new Map<string, string>([[form.input.name, input]]);
  const constant = (name: string) => form.constants.get(name)!;
  const scalar = (value: number) => g.floats(`scalar_${value}`, [], new Float32Array([value]));
  const out = (node: FormNode) => (form.outputs.includes(node.output) ? node.output : undefined);
  for (const node of form.nodes) {
    const x = names.get(node.inputs[0]!)!;
    let y: string;
    switch (node.op) {
      case 'conv': {
        const c = constant(node.kernel);
        const inputs = [x, g.weight(node.kernel, c)];
        if (node.bias) inputs.push(g.weight(node.bias, constant(node.bias)));
        const group = node.depthwise ? c.shape[2]! : 1;
        y = g.node('Conv', inputs, [attr.ints('kernel_shape', [node.kernelSize, node.kernelSize]), attr.ints('strides', [node.stride, node.stride]), attr.int('group', group), pads(node, style)], out(node));
        break;
      }
      case 'activation':
        if (node.fn === 'sigmoid') y = g.node('Sigmoid', [x], [], out(node));
        else if (node.fn === 'silu') y = g.node('Mul', [x, g.node('Sigmoid', [x])], [], out(node));
        else if (node.fn === 'relu') y = g.node('Relu', [x], [], out(node));
        else if (node.fn === 'relu6') y = g.node('Clip', [x, scalar(0), scalar(6)], [], out(node));
        else y = g.node('Mul', [g.node('Mul', [x, scalar(0.5)]), g.node('Add', [g.node('Erf', [g.node('Div', [x, scalar(Math.SQRT2)])]), scalar(1)])], [], out(node));
        break;
      case 'add':
      case 'mul':
        y = g.node(node.op === 'add' ? 'Add' : 'Mul', [x, names.get(node.inputs[1]!)!], [], out(node));
        break;
      case 'scale':
        y = g.node('Mul', [x, g.floats(node.factor, [], constant(node.factor).values)], [], out(node));
        break;
      case 'normalize': {
        const channels = (name: string) => g.floats(name, [constant(name).shape[0]!, 1, 1], constant(name).values);
        y = g.node('Div', [g.node('Sub', [x, channels(node.mean)]), channels(node.std)], [], out(node));
        break;
      }
      case 'global-mean':
        y = node.keepDims ? g.node('GlobalAveragePool', [x], [], out(node)) : g.node('Flatten', [g.node('GlobalAveragePool', [x])], [attr.int('axis', 1)], out(node));
        break;
      case 'linear':
        y = g.node('Gemm', [x, g.weight(node.kernel, constant(node.kernel)), g.weight(node.bias, constant(node.bias))], [], out(node));
        break;
      case 'max-pool':
        y = g.node('MaxPool', [x], [attr.ints('kernel_shape', [node.size, node.size]), attr.ints('strides', [node.stride, node.stride]), pads(node, style)], out(node));
        break;
      case 'resize-nearest': {
        const [h, w] = node.shape as [number, number];
        const [inH, inW] = form.nodes.find((n) => n.output === node.inputs[0])?.shape ?? form.input.shape;
        if (h % inH! !== 0 || w % inW! !== 0) throw new EffnetExportError('model', `ONNX export resizes by whole factors only; ${inH}×${inW} → ${h}×${w} is not (pick an input size that is a multiple of 2^maxLevel)`);
        const scales = g.floats(`resize_scales_${h / inH!}x${w / inW!}`, [4], Float32Array.from([1, 1, h / inH!, w / inW!]));
        y = g.node('Resize', [x, '', scales], [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')], out(node));
        break;
      }
      case 'anchor-rows':
        y = g.node('Reshape', [g.node('Transpose', [x], [attr.ints('perm', [0, 2, 3, 1])]), g.int64s(`rows_shape_${node.shape[1]}`, [0, -1, node.shape[1]!])], [], out(node));
        break;
      case 'concat':
        y = g.node('Concat', node.inputs.map((name) => names.get(name)!), [attr.int('axis', 1)], out(node));
        break;
    }
    names.set(node.output, y);
  }
  return names;
}

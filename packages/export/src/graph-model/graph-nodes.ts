// Translates an inference form into the nodes of a TensorFlow GraphDef as TF.js graph models hold
// it (model.json `modelTopology`): NHWC throughout, so every node is the TensorFlow op that
// effnet's own tfjs call runs (Conv2D 'SAME' or 'EXPLICIT', DepthwiseConv2dNative, MaxPool, Mean,
// ResizeNearestNeighbor…), and tf.loadGraphModel gives effnet's values. Attribute values follow
// the GraphDef JSON encoding tfjs-converter reads: integers as strings, strings base64.
import { quantize, type FormConstant, type FormNode, type InferenceForm, type WeightQuantization } from '@effnet/models';

/** One GraphDef node as JSON. */
export interface GraphNode {
  /** Node (and output tensor) name. */
  name: string;
  /** TensorFlow op. */
  op: string;
  /** Input node names. */
  input?: string[];
  /** Attributes in GraphDef JSON form. */
  attr?: Record<string, unknown>;
}

/** A constant the graph reads from the weights (float32 values, or int32 for shapes and axes). */
export interface GraphConstant {
  /** Shape. */
  shape: number[];
  /** Values. */
  values: Float32Array | Int32Array;
  /** What it is (weights may be quantised; the rest stay as they are). */
  role: FormConstant['role'] | 'int32';
}

/** One entry of the weights manifest with its bytes. */
export interface StoredWeight {
  /** tf.io weight spec. */
  spec: { name: string; shape: number[]; dtype: 'float32' | 'int32'; quantization?: { dtype: 'float16' } | { dtype: 'uint8'; scale: number; min: number } };
  /** Stored bytes (little-endian). */
  bytes: Uint8Array;
}

const base64 = (s: string): string => btoa(s);
const ints = (values: number[]) => ({ list: { i: values.map(String) } });
const DT_FLOAT = { type: 'DT_FLOAT' };

/** Axis of the output channels of a weight in effnet's layout. */
const CHANNEL_AXIS: Partial<Record<GraphConstant['role'], number>> = { kernel: 3, 'depthwise-kernel': 2, 'linear-kernel': 1 };

function bytesOf(values: Float32Array | Int32Array | Uint16Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

/** Collects nodes and the weights they read; kernels are stored quantised when asked. */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly weights: StoredWeight[] = [];
  private readonly written = new Set<string>();
  private counter = 0;

  constructor(private readonly quantization: WeightQuantization | null) {}

  node(op: string, input: string[], attr: Record<string, unknown> = {}, name?: string): string {
    const out = name ?? `${op}_${this.counter++}`;
    this.nodes.push({ name: out, op, input, attr: { T: DT_FLOAT, ...attr } });
    return out;
  }

  private constNode(name: string, shape: number[], dtype: 'DT_FLOAT' | 'DT_INT32'): void {
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: { dim: shape.map((size) => ({ size: String(size) })) } } } } });
  }

  /** A constant: a Const node whose value the weights hold (or, per-channel uint8, codes · scale + offset). */
  constant(name: string, c: GraphConstant): string {
    if (this.written.has(name)) return name;
    this.written.add(name);
    const axis = CHANNEL_AXIS[c.role];
    if (c.role === 'int32' || axis === undefined || !this.quantization) {
      const dtype = c.role === 'int32' ? 'int32' : 'float32';
      this.constNode(name, c.shape, dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT');
      this.weights.push({ spec: { name, shape: c.shape, dtype }, bytes: bytesOf(c.values) });
      return name;
    }
    const q = quantize(c.values as Float32Array, c.shape, this.quantization, axis);
    if (q.dtype === 'float16' || q.scales.length === 1) {
      this.constNode(name, c.shape, 'DT_FLOAT');
      const quantization = q.dtype === 'float16' ? ({ dtype: 'float16' } as const) : { dtype: 'uint8' as const, scale: q.scales[0]!, min: -q.zeroPoints[0]! * q.scales[0]! };
      this.weights.push({ spec: { name, shape: c.shape, dtype: 'float32', quantization }, bytes: bytesOf(q.data) });
      return name;
    }
    // Per channel: tf.io's manifest holds one scale per tensor, so the codes are stored with scale 1
    // and the graph applies each channel's scale and offset.
    this.constNode(`${name}_codes`, c.shape, 'DT_FLOAT');
    this.weights.push({ spec: { name: `${name}_codes`, shape: c.shape, dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } }, bytes: bytesOf(q.data) });
    const broadcast = [c.shape[axis]!, ...new Array<number>(c.shape.length - 1 - axis).fill(1)];
    const scale = this.constant(`${name}_scale`, { shape: broadcast, values: q.scales, role: 'vector' });
    const offset = this.constant(`${name}_offset`, { shape: broadcast, values: Float32Array.from(q.scales, (s, i) => -q.zeroPoints[i]! * s), role: 'vector' });
    return this.node('AddV2', [this.node('Mul', [`${name}_codes`, scale]), offset], {}, name);
  }

  int32(name: string, values: number[], shape = [values.length]): string {
    return this.constant(name, { shape, values: Int32Array.from(values), role: 'int32' });
  }

  scalar(value: number): string {
    return this.constant(`scalar_${value}`, { shape: [], values: new Float32Array([value]), role: 'vector' });
  }
}

function convAttrs(node: { stride: number; padding: string; pads: [number, number, number, number] }): Record<string, unknown> {
  const [top, bottom, left, right] = node.pads;
  const padding = node.padding === 'same' ? { padding: { s: base64('SAME') } } : { padding: { s: base64('EXPLICIT') }, explicit_paddings: ints([0, 0, top, bottom, left, right, 0, 0]) };
  return { strides: ints([1, node.stride, node.stride, 1]), dilations: ints([1, 1, 1, 1]), data_format: { s: base64('NHWC') }, ...padding };
}

/** Adds the nodes of `form` to `g`; outputs are named as the form names them. */
export function translateGraph(g: GraphBuilder, form: InferenceForm): void {
  const constant = (name: string) => g.constant(name, form.constants.get(name)!);
  const named = (node: FormNode) => (form.outputs.includes(node.output) ? node.output : undefined);
  const names = new Map<string, string>([[form.input.name, form.input.name]]);
  for (const node of form.nodes) {
    const x = names.get(node.inputs[0]!)!;
    const out = named(node);
    let y: string;
    switch (node.op) {
      case 'conv': {
        const conv = g.node(node.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', [x, constant(node.kernel)], convAttrs(node), node.bias ? undefined : out);
        y = node.bias ? g.node('BiasAdd', [conv, constant(node.bias)], { data_format: { s: base64('NHWC') } }, out) : conv;
        break;
      }
      case 'activation':
        if (node.fn === 'sigmoid') y = g.node('Sigmoid', [x], {}, out);
        else if (node.fn === 'silu') y = g.node('Mul', [x, g.node('Sigmoid', [x])], {}, out);
        else if (node.fn === 'relu') y = g.node('Relu', [x], {}, out);
        else if (node.fn === 'relu6') y = g.node('Relu6', [x], {}, out);
        else y = g.node('Mul', [g.node('Mul', [x, g.scalar(0.5)]), g.node('AddV2', [g.node('Erf', [g.node('RealDiv', [x, g.scalar(Math.SQRT2)])]), g.scalar(1)])], {}, out);
        break;
      case 'add':
      case 'mul':
        y = g.node(node.op === 'add' ? 'AddV2' : 'Mul', [x, names.get(node.inputs[1]!)!], {}, out);
        break;
      case 'scale':
        y = g.node('Mul', [x, constant(node.factor)], {}, out);
        break;
      case 'normalize':
        y = g.node('RealDiv', [g.node('Sub', [x, constant(node.mean)]), constant(node.std)], {}, out);
        break;
      case 'global-mean':
        y = g.node('Mean', [x, g.int32('axes_hw', [1, 2])], { keep_dims: { b: node.keepDims }, Tidx: { type: 'DT_INT32' } }, out);
        break;
      case 'linear':
        y = g.node('BiasAdd', [g.node('MatMul', [x, constant(node.kernel)], { transpose_a: { b: false }, transpose_b: { b: false } }), constant(node.bias)], { data_format: { s: base64('NHWC') } }, out);
        break;
      case 'max-pool': {
        const window = { ksize: ints([1, node.size, node.size, 1]), strides: ints([1, node.stride, node.stride, 1]), data_format: { s: base64('NHWC') } };
        if (node.padding === 'same') {
          y = g.node('MaxPool', [x], { ...window, padding: { s: base64('SAME') } }, out);
        } else {
          const [top, bottom, left, right] = node.pads;
          const padded = g.node('PadV2', [x, g.int32(`pads_${node.pads.join('_')}`, [0, 0, top, bottom, left, right, 0, 0], [4, 2]), g.scalar(-Infinity)], { Tpaddings: { type: 'DT_INT32' } });
          y = g.node('MaxPool', [padded], { ...window, padding: { s: base64('VALID') } }, out);
        }
        break;
      }
      case 'resize-nearest':
        y = g.node('ResizeNearestNeighbor', [x, g.int32(`size_${node.shape[0]}x${node.shape[1]}`, [node.shape[0]!, node.shape[1]!])], { align_corners: { b: false }, half_pixel_centers: { b: false } }, out);
        break;
      case 'anchor-rows':
        y = g.node('Reshape', [x, g.int32(`rows_${node.shape.join('x')}`, [-1, ...node.shape])], { Tshape: { type: 'DT_INT32' } }, out);
        break;
      case 'concat': {
        const inputs = node.inputs.map((name) => names.get(name)!);
        y = g.node('ConcatV2', [...inputs, g.int32('axis_1', [1], [])], { N: { i: String(inputs.length) }, Tidx: { type: 'DT_INT32' } }, out);
        break;
      }
    }
    names.set(node.output, y);
  }
}

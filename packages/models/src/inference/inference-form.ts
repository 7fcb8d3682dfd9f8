// The inference form of a model: a flat list of operations on named values with batch norm folded
// into the convolution before it (w' = w·γ/√(var+ε), b' = (b − mean)·γ/√(var+ε) + β), the
// fusion weights of a detector already normalised, and every spatial size fixed. It is what the
// exporters (ONNX, TF.js graph model) translate node by node and what runInferenceForm executes
// in tfjs, so an exported file and the model agree by construction. Values are NHWC; shapes below
// leave out the batch, which stays free.
import type { Activation, PaddingConvention } from '@effnet/scaling';
import { samePadding, symmetricPadding } from '@effnet/blocks';
import { EffnetModelError } from '../errors.js';

/** A constant of the form: float32 values in effnet's layout (conv kernels HWIO, depthwise [k, k, C, 1], linear [in, out]). */
export interface FormConstant {
  /** Shape. */
  shape: number[];
  /** Values, row-major. */
  values: Float32Array;
  /** What the constant is, for quantisers: conv/linear weights, or small vectors and scalars. */
  role: 'kernel' | 'depthwise-kernel' | 'linear-kernel' | 'vector';
}

/** Fields every node has. */
export interface NodeBase {
  /** Value names read (constants are named in the op's own fields). */
  inputs: string[];
  /** Name of the value written. */
  output: string;
  /** Shape of the output without the batch: [h, w, c] or [features] or [rows, columns]. */
  shape: number[];
}

/** Convolution with folded batch norm; `pads` are [top, bottom, left, right] for this input size. */
export interface ConvNode extends NodeBase {
  /** Operation. */
  op: 'conv';
  /** Constant holding the (folded) kernel, HWIO or depthwise [k, k, C, 1]. */
  kernel: string;
  /** Constant holding the bias, or null. */
  bias: string | null;
  /** Square kernel size. */
  kernelSize: number;
  /** Stride. */
  stride: number;
  /** Depthwise (groups = channels). */
  depthwise: boolean;
  /** The model's padding convention. */
  padding: PaddingConvention;
  /** Pads [top, bottom, left, right] at this input size. */
  pads: [number, number, number, number];
}

/** An activation (`sigmoid` besides the spec's). */
export interface ActivationNode extends NodeBase {
  /** Operation. */
  op: 'activation';
  /** The function. */
  fn: Activation | 'sigmoid';
}

/** Element-wise sum or product of two values (the second may broadcast: SE gates [1, 1, C]). */
export interface BinaryNode extends NodeBase {
  /** Operation. */
  op: 'add' | 'mul';
}

/** A value times a scalar constant (a detector's normalised fusion weight). */
export interface ScaleNode extends NodeBase {
  /** Operation. */
  op: 'scale';
  /** Constant holding the scalar factor. */
  factor: string;
}

/** `(x − mean) / std` per channel (models that normalise 0-255 pixels inside). */
export interface NormalizeNode extends NodeBase {
  /** Operation. */
  op: 'normalize';
  /** Constant holding the per-channel mean (0-255 scale). */
  mean: string;
  /** Constant holding the per-channel std (0-255 scale). */
  std: string;
}

/** Mean over height and width; `keepDims` keeps them as 1×1. */
export interface MeanNode extends NodeBase {
  /** Operation. */
  op: 'global-mean';
  /** Whether height and width stay as 1×1. */
  keepDims: boolean;
}

/** `x·W + b` on [features]. */
export interface LinearNode extends NodeBase {
  /** Operation. */
  op: 'linear';
  /** Constant holding the kernel [in, out]. */
  kernel: string;
  /** Constant holding the bias. */
  bias: string;
}

/** 3×3 max pooling, stride 2, with the padding of the model's convention. */
export interface MaxPoolNode extends NodeBase {
  /** Operation. */
  op: 'max-pool';
  /** Window size. */
  size: number;
  /** Stride. */
  stride: number;
  /** The model's padding convention. */
  padding: PaddingConvention;
  /** Pads [top, bottom, left, right] at this input size (padding never wins the max). */
  pads: [number, number, number, number];
}

/** Nearest-neighbour resize (tf.image.resizeNearestNeighbor, no corner alignment, no half-pixel centres). */
export interface ResizeNode extends NodeBase {
  /** Operation (the target size is the node's shape). */
  op: 'resize-nearest';
}

/** NHWC [h, w, a·k] → rows [h·w·a, k] (a detector head's per-anchor outputs). */
export interface AnchorRowsNode extends NodeBase {
  /** Operation. */
  op: 'anchor-rows';
}

/** Concatenation of rows along the anchor axis. */
export interface ConcatNode extends NodeBase {
  /** Operation. */
  op: 'concat';
}

/** Any node of the form. */
export type FormNode = ConvNode | ActivationNode | BinaryNode | ScaleNode | NormalizeNode | MeanNode | LinearNode | MaxPoolNode | ResizeNode | AnchorRowsNode | ConcatNode;

/** A whole model in inference form. */
export interface InferenceForm {
  /** The model's spec name. */
  name: string;
  /** The one input: NHWC images of this [height, width, channels]. */
  input: { name: string; shape: [number, number, number] };
  /** Output names in order (`logits`; or `classLogits`, `boxDeltas`). */
  outputs: string[];
  /** Nodes in execution order. */
  nodes: FormNode[];
  /** Constants by name. */
  constants: Map<string, FormConstant>;
}

/** Reads one variable's values by its stable name. */
export type VariableReader = (name: string) => { shape: number[]; values: Float32Array };

/** Builds a form node by node: keeps shapes, names values and folds batch norms. */
export class FormBuilder {
  readonly nodes: FormNode[] = [];
  readonly constants = new Map<string, FormConstant>();
  private readonly shapes = new Map<string, number[]>();
  private counter = 0;

  constructor(
    readonly read: VariableReader,
    readonly padding: PaddingConvention,
    input: { name: string; shape: number[] },
  ) {
    this.shapes.set(input.name, input.shape);
  }

  shape(value: string): number[] {
    const shape = this.shapes.get(value);
    if (!shape) throw new EffnetModelError('inference form', `no value '${value}' (internal: nodes out of order)`);
    return shape;
  }

  private fresh(hint: string): string {
    return `${hint}:${this.counter++}`;
  }

  constant(name: string, shape: number[], values: Float32Array, role: FormConstant['role']): string {
    this.constants.set(name, { shape, values, role });
    return name;
  }

  private push<T extends FormNode>(node: Omit<T, 'output'> & { output?: string }, hint: string): string {
    const output = node.output ?? this.fresh(hint);
    this.nodes.push({ ...node, output } as T);
    this.shapes.set(output, node.shape);
    return output;
  }

  /**
   * A convolution from variables `<conv>.kernel` (and `.bias`), with the batch norm `<bn>.*` folded in when given.
   */
  conv(x: string, conv: string, options: { stride?: number; depthwise?: boolean; bias?: boolean; bn?: string | null; eps?: number; output?: string }): string {
    const [h, w] = this.shape(x);
    const kernel = this.read(`${conv}.kernel`);
    const [k, , cin, mult] = kernel.shape as [number, number, number, number];
    const depthwise = options.depthwise === true;
    const cout = depthwise ? cin * mult : mult;
    const stride = options.stride ?? 1;
    const bias = options.bias ? this.read(`${conv}.bias`).values : null;
    let folded = { kernel: kernel.values, bias };
    if (options.bn) folded = foldBatchNorm(kernel.values, bias, cout, this.readBn(options.bn), options.eps ?? 1e-5);
    const pads = padsOf(this.padding, h!, w!, k, stride);
    const out = [Math.floor((h! + pads[0] + pads[1] - k) / stride) + 1, Math.floor((w! + pads[2] + pads[3] - k) / stride) + 1, cout];
    const name = options.bn ? `${options.bn}.folded` : conv;
    this.constant(`${name}.kernel`, kernel.shape, folded.kernel, depthwise ? 'depthwise-kernel' : 'kernel');
    if (folded.bias) this.constant(`${name}.bias`, [cout], folded.bias, 'vector');
    return this.push<ConvNode>(
      { op: 'conv', inputs: [x], output: options.output, shape: out, kernel: `${name}.kernel`, bias: folded.bias ? `${name}.bias` : null, kernelSize: k, stride, depthwise, padding: this.padding, pads },
      conv,
    );
  }

  private readBn(bn: string): { gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array } {
    return { gamma: this.read(`${bn}.gamma`).values, beta: this.read(`${bn}.beta`).values, mean: this.read(`${bn}.movingMean`).values, variance: this.read(`${bn}.movingVariance`).values };
  }

  activation(x: string, fn: Activation | 'sigmoid' | null): string {
    if (fn === null) return x;
    return this.push<ActivationNode>({ op: 'activation', inputs: [x], shape: this.shape(x), fn }, fn);
  }

  binary(op: 'add' | 'mul', a: string, b: string): string {
    return this.push<BinaryNode>({ op, inputs: [a, b], shape: this.shape(a) }, op);
  }

  scale(x: string, factor: number, name: string): string {
    this.constant(name, [], new Float32Array([factor]), 'vector');
    return this.push<ScaleNode>({ op: 'scale', inputs: [x], shape: this.shape(x), factor: name }, 'scale');
  }

  normalize(x: string, mean: number[], std: number[]): string {
    this.constant('normalize.mean', [mean.length], Float32Array.from(mean), 'vector');
    this.constant('normalize.std', [std.length], Float32Array.from(std), 'vector');
    return this.push<NormalizeNode>({ op: 'normalize', inputs: [x], shape: this.shape(x), mean: 'normalize.mean', std: 'normalize.std' }, 'normalize');
  }

  globalMean(x: string, keepDims: boolean, output?: string): string {
    const c = this.shape(x).at(-1)!;
    return this.push<MeanNode>({ op: 'global-mean', inputs: [x], output, shape: keepDims ? [1, 1, c] : [c], keepDims }, 'mean');
  }

  linear(x: string, layer: string, output?: string): string {
    const kernel = this.read(`${layer}.kernel`);
    this.constant(`${layer}.kernel`, kernel.shape, kernel.values, 'linear-kernel');
    const bias = this.read(`${layer}.bias`);
    this.constant(`${layer}.bias`, bias.shape, bias.values, 'vector');
    return this.push<LinearNode>({ op: 'linear', inputs: [x], output, shape: [kernel.shape[1]!], kernel: `${layer}.kernel`, bias: `${layer}.bias` }, layer);
  }

  maxPool(x: string): string {
    const [h, w, c] = this.shape(x) as [number, number, number];
    const pads = padsOf(this.padding, h, w, 3, 2);
    const shape = [Math.floor((h + pads[0] + pads[1] - 3) / 2) + 1, Math.floor((w + pads[2] + pads[3] - 3) / 2) + 1, c];
    return this.push<MaxPoolNode>({ op: 'max-pool', inputs: [x], shape, size: 3, stride: 2, padding: this.padding, pads }, 'pool');
  }

  resizeNearest(x: string, size: [number, number]): string {
    return this.push<ResizeNode>({ op: 'resize-nearest', inputs: [x], shape: [...size, this.shape(x)[2]!] }, 'resize');
  }

  anchorRows(x: string, perAnchor: number): string {
    const [h, w, c] = this.shape(x) as [number, number, number];
    return this.push<AnchorRowsNode>({ op: 'anchor-rows', inputs: [x], shape: [(h * w * c) / perAnchor, perAnchor] }, 'rows');
  }

  concat(xs: string[], output: string): string {
    const rows = xs.reduce((n, x) => n + this.shape(x)[0]!, 0);
    return this.push<ConcatNode>({ op: 'concat', inputs: xs, output, shape: [rows, this.shape(xs[0]!)[1]!] }, 'concat');
  }
}

/** [top, bottom, left, right] of a k×k, stride-s window on an h×w input under the convention. */
function padsOf(padding: PaddingConvention, h: number, w: number, k: number, stride: number): [number, number, number, number] {
  if (padding === 'same') return [...samePadding(h, k, stride), ...samePadding(w, k, stride)];
  const [a, b] = symmetricPadding(k);
  return [a, b, a, b];
}

/** Folds an evaluation-mode batch norm into the kernel (last axis = output channel, also for depthwise [k, k, C, 1]) and bias. */
function foldBatchNorm(
  kernel: Float32Array,
  bias: Float32Array | null,
  channels: number,
  bn: { gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array },
  eps: number,
): { kernel: Float32Array; bias: Float32Array } {
  const scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) scale[c] = bn.gamma[c]! / Math.sqrt(bn.variance[c]! + eps);
  const folded = new Float32Array(kernel.length);
  for (let i = 0; i < kernel.length; i++) folded[i] = kernel[i]! * scale[i % channels]!;
  const foldedBias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) foldedBias[c] = ((bias?.[c] ?? 0) - bn.mean[c]!) * scale[c]! + bn.beta[c]!;
  return { kernel: folded, bias: foldedBias };
}

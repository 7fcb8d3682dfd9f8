// A straight-line list of layer calls with their tensors: the analytic model behind cost().
// Each op knows its parameters, its multiply-adds (conv and linear only, as a forward hook on
// torch.nn.Conv2d / Linear counts them) and which tensors autograd keeps for its backward pass.
import { EffnetConfigError } from './errors.js';
import type { PaddingConvention } from './model-spec.js';

/** A tensor of one image: channels, height, width. */
export type Shape = [number, number, number];

/** Kinds of layer call the graph records. */
export type OpKind = 'conv' | 'bn' | 'act' | 'pool' | 'mul' | 'add' | 'linear' | 'maxpool' | 'upsample' | 'fuse';

/** One layer call. */
export interface Op {
  /** Which layer. */
  kind: OpKind;
  /** The part of the network it belongs to (`stem`, `stage 3`, `bifpn 0`…). */
  group: string;
  /** Index of the block it belongs to, or -1. */
  block: number;
  /** Tensor ids read. */
  inputs: number[];
  /** Tensor id written. */
  output: number;
  /** Trainable parameters this call adds (0 when it reuses shared weights). */
  params: number;
  /** Multiply-adds per image. */
  macs: number;
  /** Tensor ids kept for the backward pass. */
  saves: number[];
}

/** Activations as they save tensors for backward (PyTorch): SiLU/GELU/ReLU6 keep their input, ReLU/sigmoid their output. */
export type ActivationKind = 'silu' | 'relu' | 'relu6' | 'gelu' | 'sigmoid';

const SAVES_OUTPUT: readonly ActivationKind[] = ['relu', 'sigmoid'];

/** Options of a convolution call. */
export interface ConvOptions {
  /** Output channels. */
  out: number;
  /** Square kernel (default 1). */
  kernel?: number;
  /** Square stride (default 1). */
  stride?: number;
  /** Groups (default 1; the channel count for depthwise). */
  groups?: number;
  /** Whether the conv has a bias (default false). */
  bias?: boolean;
  /** Weights shared with every earlier call of the same key (counted once). */
  shared?: string;
}

/** Records layer calls in execution order. */
export class OpGraph {
  /** Shapes by tensor id. */
  readonly shapes: Shape[] = [];
  /** Calls in order. */
  readonly ops: Op[] = [];
  /** Tensor ids that are results of the network (kept alive to the end). */
  readonly outputs = new Set<number>();
  /** Group of the ops recorded next. */
  group = '';
  /** Block index of the ops recorded next (-1 outside blocks). */
  block = -1;
  private readonly sharedKeys = new Set<string>();

  constructor(readonly padding: PaddingConvention) {}

  /** Declares an input tensor. */
  input(shape: Shape): number {
    this.shapes.push(shape);
    return this.shapes.length - 1;
  }

  /** Elements of a tensor (one image). */
  elements(id: number): number {
    const [c, h, w] = this.shapes[id];
    return c * h * w;
  }

  /** Output size of a spatial window op under this graph's padding convention. */
  outputSize(size: number, kernel: number, stride: number): number {
    const out = this.padding === 'same' ? Math.ceil(size / stride) : Math.floor((size + 2 * Math.floor((kernel - 1) / 2) - kernel) / stride) + 1;
    if (out < 1) {
      throw new EffnetConfigError('resolution', `the input is too small: a ${kernel}×${kernel} stride-${stride} layer gets a ${size}-pixel map; use a larger resolution`);
    }
    return out;
  }

  private record(kind: OpKind, inputs: number[], shape: Shape, params: number, macs: number, saves: number[]): number {
    const output = this.input(shape);
    this.ops.push({ kind, group: this.group, block: this.block, inputs, output, params, macs, saves });
    return output;
  }

  private weights(shared: string | undefined, count: number): number {
    if (shared === undefined) return count;
    if (this.sharedKeys.has(shared)) return 0;
    this.sharedKeys.add(shared);
    return count;
  }

  /** A 2-D convolution. */
  conv(x: number, options: ConvOptions): number {
    const [c, h, w] = this.shapes[x];
    const { out, kernel = 1, stride = 1, groups = 1, bias = false } = options;
    const shape: Shape = [out, this.outputSize(h, kernel, stride), this.outputSize(w, kernel, stride)];
    const perOutput = (c / groups) * kernel * kernel;
    const params = this.weights(options.shared, out * perOutput + (bias ? out : 0));
    return this.record('conv', [x], shape, params, shape[0] * shape[1] * shape[2] * perOutput, [x]);
  }

  /** Batch normalisation (γ and β trainable, running statistics not counted). */
  bn(x: number, shared?: string): number {
    return this.record('bn', [x], this.shapes[x], this.weights(shared, 2 * this.shapes[x][0]), 0, [x]);
  }

  /** An elementwise activation. */
  act(x: number, kind: ActivationKind): number {
    const output = this.record('act', [x], this.shapes[x], 0, 0, []);
    this.ops[this.ops.length - 1].saves = [SAVES_OUTPUT.includes(kind) ? output : x];
    return output;
  }

  /** Global average pooling to C×1×1. */
  pool(x: number): number {
    return this.record('pool', [x], [this.shapes[x][0], 1, 1], 0, 0, []);
  }

  /** Broadcast multiply (the SE gate). */
  mul(x: number, scale: number): number {
    return this.record('mul', [x, scale], this.shapes[x], 0, 0, [x, scale]);
  }

  /** Residual addition. */
  add(a: number, b: number): number {
    return this.record('add', [a, b], this.shapes[a], 0, 0, []);
  }

  /** Fully connected layer with bias on a C×1×1 tensor. */
  linear(x: number, out: number): number {
    const features = this.elements(x);
    return this.record('linear', [x], [out, 1, 1], features * out + out, features * out, [x]);
  }

  /** Max pooling (`kernel`×`kernel`, stride `stride`). */
  maxPool(x: number, kernel: number, stride: number): number {
    const [c, h, w] = this.shapes[x];
    return this.record('maxpool', [x], [c, this.outputSize(h, kernel, stride), this.outputSize(w, kernel, stride)], 0, 0, [x]);
  }

  /** Nearest-neighbour resize to `height`×`width`. */
  upsample(x: number, height: number, width: number): number {
    return this.record('upsample', [x], [this.shapes[x][0], height, width], 0, 0, []);
  }

  /** Weighted fusion of same-shape inputs: `fast` and `softmax` learn one scalar per input, `sum` none. */
  fuse(inputs: number[], mode: 'fast' | 'softmax' | 'sum'): number {
    const weighted = mode !== 'sum';
    return this.record('fuse', inputs, this.shapes[inputs[0]], weighted ? inputs.length : 0, 0, weighted ? [...inputs] : []);
  }
}

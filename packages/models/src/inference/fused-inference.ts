// The fast executor of an inference form, what predict() runs by default: the form's constants
// (folded kernels and biases) are uploaded once, through @effnet/blocks' uploadConstant (on webgl
// written into their textures without a program), and kept as tensors; a convolution and the activation after it
// run through @effnet/blocks' inference forwards (pointwise, depthwise, stem and dense: one kernel
// with bias and activation, SiLU included, where the backend registers effnet's, as webgl does (and
// wasm for 1×1 and depthwise);
// elsewhere tf.fused.conv2d / depthwiseConv2d / matMul, relu, relu6 and sigmoid fused by the
// backend, SiLU then as x·σ(x), one kernel where the backend has @effnet/blocks' SILU_KERNEL);
// residual adds and squeeze-excite's gates through its elementwiseForward (on webgl one program
// for every shape); squeeze-excite stays on [N, 1, 1, C] (no reshapes); and every intermediate is
// freed after its last reader, so peak memory is a few activations rather than all of them.
// The cache is rebuilt when any variable of the model was written (tf.Variable.assign gives it a
// new dataId: loadWeights, importWeights, optimisers, EMA and batch-norm updates all assign) or
// when the active backend changed. On webgpu the weights are first read asynchronously (its
// synchronous reads are slow, and lose the device on SwiftShader): until then predict runs the modules.
import * as tf from '@tensorflow/tfjs-core';
import { convForward, depthwiseConvForward, elementwiseForward, globalMeanForward, linearForward, pointwiseConvForward, siluForward, uploadConstant, type PointwiseActivation } from '@effnet/blocks';
import { EffnetModelError } from '../errors.js';
import type { ActivationNode, ConvNode, FormNode, InferenceForm } from './inference-form.js';

/** One step of a plan: a form node, or a conv and the activation that reads it, fused. */
type Step = { node: FormNode; activation: ActivationNode['fn'] | null; output: string };

/** A plan for one input size: steps and, per step, the values nobody reads after it. */
interface Plan {
  inputName: string;
  outputs: string[];
  steps: Step[];
  deadAfter: string[][];
}

/** How many different input sizes keep a plan (the constants are shared by all of them). */
const MAX_PLANS = 8;

/** Backends whose synchronous reads are slow or unreliable (tfjs-webgpu: SwiftShader loses the device): weights are read asynchronously first. */
const ASYNC_READ_BACKENDS = new Set(['webgpu']);

/** Pairs each conv with the activation that is its only reader. */
function planOf(form: InferenceForm): Plan {
  const readers = new Map<string, number>();
  for (const node of form.nodes) for (const input of node.inputs) readers.set(input, (readers.get(input) ?? 0) + 1);
  const steps: Step[] = [];
  for (let i = 0; i < form.nodes.length; i++) {
    const node = form.nodes[i]!;
    const next = form.nodes[i + 1];
    const fusable = node.op === 'conv' && next?.op === 'activation' && next.inputs[0] === node.output && readers.get(node.output) === 1 && !form.outputs.includes(node.output);
    if (fusable) {
      steps.push({ node, activation: next.fn, output: next.output });
      i++;
    } else steps.push({ node, activation: null, output: node.output });
  }
  const lastRead = new Map<string, number>();
  steps.forEach((step, s) => step.node.inputs.forEach((input) => lastRead.set(input, s)));
  const deadAfter: string[][] = steps.map(() => []);
  for (const [value, s] of lastRead) if (value !== form.input.name && !form.outputs.includes(value)) deadAfter[s]!.push(value);
  return { inputName: form.input.name, outputs: form.outputs, steps, deadAfter };
}

function activate(x: tf.Tensor, fn: ActivationNode['fn']): tf.Tensor {
  switch (fn) {
    case 'sigmoid': return tf.sigmoid(x);
    case 'silu': return siluForward(x);
    case 'relu': return tf.relu(x);
    case 'relu6': return tf.relu6(x);
    case 'gelu': return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  }
}

/** Activations @effnet/blocks' convolution forwards apply themselves (all but GELU). */
const IN_KERNEL = new Set<string>(['relu', 'relu6', 'sigmoid', 'silu']);

/** A 1×1, stride-1, unpadded, ungrouped convolution. */
function isPointwise(node: ConvNode, filter: tf.Tensor): boolean {
  return !node.depthwise && filter.shape[0] === 1 && filter.shape[1] === 1 && node.stride === 1 && node.pads.every((p) => p === 0);
}

/** A conv with its bias and activation: one kernel where the backend registers @effnet/blocks' ones, else tf.fused ops (GELU after). */
function fusedConv(x: tf.Tensor4D, node: ConvNode, activation: Step['activation'], constant: (name: string) => tf.Tensor): tf.Tensor {
  const filter = constant(node.kernel) as tf.Tensor4D;
  const bias = node.bias ? (constant(node.bias) as tf.Tensor1D) : undefined;
  const inKernel = (activation !== null && IN_KERNEL.has(activation) ? activation : 'linear') as PointwiseActivation;
  const y = isPointwise(node, filter)
    ? pointwiseConvForward(x, filter, bias, inKernel)
    : (node.depthwise ? depthwiseConvForward : convForward)(x, filter, bias, [node.stride, node.stride], node.pads, inKernel);
  return activation === null || inKernel !== 'linear' ? y : activate(y, activation);
}

function applyStep(step: Step, values: Map<string, tf.Tensor>, constant: (name: string) => tf.Tensor): tf.Tensor {
  const node = step.node;
  const x = values.get(node.inputs[0]!)!;
  switch (node.op) {
    case 'conv': return fusedConv(x as tf.Tensor4D, node, step.activation, constant);
    case 'activation': return activate(x, node.fn);
    case 'add': return elementwiseForward('add', x, values.get(node.inputs[1]!)!);
    case 'mul': return elementwiseForward('multiply', x, values.get(node.inputs[1]!)!);
    case 'scale': return tf.mul(x, constant(node.factor));
    case 'normalize': return tf.div(tf.sub(x, constant(node.mean)), constant(node.std));
    case 'global-mean': {
      // Average pooling over the whole map (NHWC-native, XNNPACK on wasm; where Mean over [1, 2] transposes first), or the backend's kernel.
      const pooled = globalMeanForward(x as tf.Tensor4D);
      return node.keepDims ? pooled : tf.reshape(pooled, [x.shape[0], x.shape[3]!]);
    }
    case 'linear': return linearForward(x as tf.Tensor2D, constant(node.kernel) as tf.Tensor2D, constant(node.bias) as tf.Tensor1D);
    case 'max-pool': return tf.maxPool(x as tf.Tensor4D, node.size, node.stride, node.padding === 'same' ? 'same' : node.pads[0]);
    case 'resize-nearest': return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [node.shape[0]!, node.shape[1]!]);
    case 'anchor-rows': return tf.reshape(x, [x.shape[0], ...node.shape]);
    case 'concat': return tf.concat(node.inputs.map((name) => values.get(name)!), 1);
  }
  throw new EffnetModelError('inference form', `unknown op '${(node as { op: string }).op}'`);
}

/** A tensor's data handle: tf.Variable.assign replaces it, so a changed handle means changed values. */
function dataIdOf(v: tf.Variable): object {
  return (v as unknown as { dataId: object }).dataId;
}

function sameIds(a: object[], b: object[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * A model's inference form, compiled once per weights and input size and run with fused kernels.
 * The owner gives it a way to build the form at a size and the model's variables; `dispose()`
 * frees the kept constants.
 */
export class FusedInference {
  private readonly constants = new Map<string, tf.Tensor>();
  private readonly plans = new Map<string, Plan>();
  private dataIds: object[] = [];
  private backend = '';
  /** The variables' dataIds when their values were last read asynchronously (see prepare). */
  private prefetched: object[] = [];

  constructor(
    private readonly buildForm: (size: [number, number]) => InferenceForm,
    private readonly variables: () => tf.Variable[],
  ) {}

  /** Number of constant tensors kept (0 before the first run and after dispose). */
  get keptTensors(): number {
    return this.constants.size;
  }

  /**
   * Runs the form on NHWC images of any size (cast to float32) (a plan per size, built on first use).
   *
   * @returns The form's outputs in order (the caller disposes them), or null when the weights must
   *   first be read asynchronously on this backend: the read is started, the caller runs its plain path.
   */
  run(images: tf.Tensor4D): tf.Tensor[] | null {
    if (images.dtype !== 'float32') {
      const cast = tf.cast(images, 'float32');
      try {
        return this.run(cast);
      } finally {
        cast.dispose();
      }
    }
    this.invalidateIfStale();
    const key = `${images.shape[1]}x${images.shape[2]}`;
    let plan = this.plans.get(key);
    if (!plan && ASYNC_READ_BACKENDS.has(this.backend) && !sameIds(this.prefetched, this.dataIds)) {
      void this.prepare().catch(() => undefined); // a failed read leaves the plain path in use; predict reports real errors
      return null;
    }
    if (!plan) plan = this.compile(key, [images.shape[1], images.shape[2]]);
    const constant = (name: string) => this.constants.get(name)!;
    const values = new Map<string, tf.Tensor>([[plan.inputName, images]]);
    try {
      plan.steps.forEach((step, s) => {
        values.set(step.output, tf.tidy(() => applyStep(step, values, constant)));
        for (const dead of plan.deadAfter[s]!) {
          values.get(dead)?.dispose();
          values.delete(dead);
        }
      });
      return plan.outputs.map((name) => values.get(name)!);
    } catch (error) {
      for (const [name, value] of values) if (name !== plan.inputName) value.dispose();
      throw error;
    }
  }

  /** Reads every variable asynchronously (the backend keeps the values on the CPU), so that the next run builds its plan without synchronous reads. */
  async prepare(): Promise<void> {
    const variables = this.variables();
    const ids = variables.map(dataIdOf);
    await Promise.all(variables.map((v) => v.data()));
    this.prefetched = ids;
  }

  /** Frees the kept constants and plans (a later run rebuilds them). */
  dispose(): void {
    for (const t of this.constants.values()) t.dispose();
    this.constants.clear();
    this.plans.clear();
    this.dataIds = [];
  }

  /** Drops everything when a variable was assigned since the last run or the backend changed. */
  private invalidateIfStale(): void {
    const ids = this.variables().map(dataIdOf);
    if (this.backend === tf.getBackend() && sameIds(ids, this.dataIds)) return;
    this.dispose();
    this.dataIds = ids;
    this.backend = tf.getBackend();
  }

  private compile(key: string, size: [number, number]): Plan {
    const form = this.buildForm(size);
    for (const [name, c] of form.constants) {
      if (this.constants.has(name)) continue;
      // On webgl, written into its texture now without a program (tfjs would compile one per shape at first use).
      // tf.keep: predict may run inside a caller's tf.tidy, which must not free the cache.
      this.constants.set(name, tf.keep(uploadConstant(c.values, c.shape)));
    }
    const plan = planOf(form);
    if (this.plans.size >= MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(key, plan);
    return plan;
  }
}

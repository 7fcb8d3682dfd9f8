// Named parameters and state of a network. Trainable variables (conv kernels, BN γ/β, biases) and
// non-trainable state (BN moving statistics) are kept apart; names are hierarchical and stable
// (`blocks.3.dw.bn.gamma`) because weight files depend on them. A shape-only store allocates
// nothing, so the parameters of B7 or L2 can be counted in a unit test.
import * as tf from '@tensorflow/tfjs-core';

/** How a new variable is filled. */
export type Initializer = (shape: number[], seed: number) => tf.Tensor;

/** One entry of the store. */
export interface ParamEntry {
  /** Hierarchical name. */
  name: string;
  /** Shape. */
  shape: number[];
  /** Updated by the optimiser (false for BN moving statistics). */
  trainable: boolean;
  /** The variable; absent in a shape-only store. */
  variable?: tf.Variable;
}

let storeCounter = 0;

/** Creates, names, lists, counts and disposes the variables of one network. */
export class ParamStore {
  private readonly entries = new Map<string, ParamEntry>();
  private readonly id = storeCounter++;
  private nextSeed: number;

  /** `shapeOnly` records shapes without allocating; `seed` makes initialisation reproducible. */
  constructor(readonly options: { shapeOnly?: boolean; seed?: number } = {}) {
    this.nextSeed = options.seed ?? 0;
  }

  /** Adds a variable (or only its shape); names must be unique. */
  add(name: string, shape: number[], init: Initializer, trainable = true): tf.Variable {
    if (this.entries.has(name)) throw new Error(`parameter '${name}' is defined twice`);
    const entry: ParamEntry = { name, shape, trainable };
    if (!this.options.shapeOnly) {
      const seed = this.nextSeed++;
      entry.variable = tf.tidy(() => tf.variable(init(shape, seed), trainable, `effnet${this.id}/${name}`));
    }
    this.entries.set(name, entry);
    return entry.variable as tf.Variable;
  }

  /** Every entry in creation order. */
  list(): ParamEntry[] {
    return [...this.entries.values()];
  }

  /** Trainable parameter count (what torchvision's `parameters()` counts). */
  countTrainable(): number {
    return this.list().filter((e) => e.trainable).reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** Variables by name (trainable and state); empty for a shape-only store. */
  variables(): Record<string, tf.Variable> {
    return Object.fromEntries(this.list().filter((e) => e.variable).map((e) => [e.name, e.variable!]));
  }

  /** Frees every variable. */
  dispose(): void {
    for (const entry of this.entries.values()) entry.variable?.dispose();
    this.entries.clear();
  }
}

/** torchvision's conv initialiser: kaiming-normal, fan-out mode (HWIO: fan-out = kh·kw·out / groups' share). */
export function kaimingNormalFanOut(fanOut: number): Initializer {
  return (shape, seed) => tf.randomNormal(shape, 0, Math.sqrt(2 / fanOut), 'float32', seed);
}

/** torchvision's linear initialiser: uniform(−1/√out, 1/√out). */
export function linearUniform(outFeatures: number): Initializer {
  const r = 1 / Math.sqrt(outFeatures);
  return (shape, seed) => tf.randomUniform(shape, -r, r, 'float32', seed);
}

/** Constant fill (BN γ = 1, β = 0, biases 0, moving variance 1). */
export function constant(value: number): Initializer {
  return (shape) => tf.fill(shape, value);
}

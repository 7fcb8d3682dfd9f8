// Named parameters and state of one network. Trainable variables (conv kernels, BN γ/β, biases)
// and non-trainable state (BN moving statistics) are kept apart; names are hierarchical and stable
// (`blocks.3.dw.bn.gamma`) because weight files depend on them. A shape-only store records shapes
// and allocates nothing, so the parameters of B7 or L2 can be counted in a unit test. Initial values
// are seeded per parameter name, so adding a layer never changes the others.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBlockError } from './errors.js';
import type { Initializer } from './initializers.js';
import { parameterSeed } from './seeded-random.js';

/** One parameter or state tensor of a network. */
export interface ParamEntry {
  /** Hierarchical name, e.g. `blocks.3.dw.bn.gamma`. */
  readonly name: string;
  /** Shape (NHWC layouts: conv kernels HWIO, depthwise kernels [kh, kw, C, 1], linear [in, out]). */
  readonly shape: readonly number[];
  /** Updated by the optimiser; false for BN moving statistics. */
  readonly trainable: boolean;
  /** The variable; absent in a shape-only store (and after `dispose()`). */
  readonly variable?: tf.Variable;
}

/** Options of a {@link ParamStore}. */
export interface ParamStoreOptions {
  /** Record shapes only; allocate no tensor. */
  shapeOnly?: boolean;
  /** Seed of every random initialiser (default 0). */
  seed?: number;
}

let storeCounter = 0;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A view of a store under a name prefix: layers create their parameters through one. */
export class ParamScope {
  /**
   * @param store - The store that owns the variables.
   * @param prefix - Name prefix of this scope ('' for the root).
   */
  constructor(
    readonly store: ParamStore,
    readonly prefix: string,
  ) {}

  /** The full name of `local` in this scope. */
  nameOf(local: string): string {
    return this.prefix === '' ? local : `${this.prefix}.${local}`;
  }

  /** A child scope, e.g. `scope('blocks').scope('3')` names `blocks.3.*`. */
  scope(child: string | number): ParamScope {
    return new ParamScope(this.store, this.nameOf(String(child)));
  }

  /**
   * Creates the parameter `local` of this scope.
   *
   * @param local - Name inside the scope (no dots needed).
   * @param shape - Positive integer dimensions.
   * @param init - How to fill it.
   * @param trainable - False for state such as BN moving statistics.
   */
  add(local: string, shape: readonly number[], init: Initializer, trainable = true): ParamEntry {
    return this.store.add(this.nameOf(local), shape, init, trainable);
  }

  /** Every entry under this scope, in creation order. */
  list(): ParamEntry[] {
    const prefix = this.prefix === '' ? '' : `${this.prefix}.`;
    return this.store.list().filter((entry) => entry.name.startsWith(prefix));
  }
}

/** Creates, names, lists, counts and disposes the variables of one network. */
export class ParamStore {
  private readonly entries = new Map<string, ParamEntry>();
  private readonly id = storeCounter++;
  /** Whether the store records shapes only. */
  readonly shapeOnly: boolean;
  /** Seed of the random initialisers. */
  readonly seed: number;

  /** @param options - Shape-only mode and the initialisation seed. */
  constructor(options: ParamStoreOptions = {}) {
    this.shapeOnly = options.shapeOnly ?? false;
    this.seed = options.seed ?? 0;
    if (!Number.isSafeInteger(this.seed)) throw new EffnetBlockError('ParamStore', `seed must be a safe integer, got ${options.seed}`);
  }

  /**
   * Adds a parameter (or, shape-only, its shape). Names are unique.
   *
   * @param name - Full hierarchical name.
   * @param shape - Positive integer dimensions.
   * @param init - How to fill it; seeded from the store seed and `name`.
   * @param trainable - False for state such as BN moving statistics.
   * @returns The new entry.
   * @throws EffnetBlockError for a duplicate name or a bad shape.
   */
  add(name: string, shape: readonly number[], init: Initializer, trainable = true): ParamEntry {
    if (this.entries.has(name)) throw new EffnetBlockError(name, 'parameter is defined twice; give each layer its own scope name');
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 1)) {
      throw new EffnetBlockError(name, `shape must be positive integers, got [${String(shape)}]`);
    }
    const dims = [...shape];
    const variable = this.shapeOnly
      ? undefined
      : tf.tidy(() => tf.variable(init(dims, parameterSeed(this.seed, name)), trainable, `effnet${this.id}/${name}`));
    const entry: ParamEntry = variable ? { name, shape: dims, trainable, variable } : { name, shape: dims, trainable };
    this.entries.set(name, entry);
    return entry;
  }

  /** Every entry (parameters and state) in creation order. */
  list(): ParamEntry[] {
    return [...this.entries.values()];
  }

  /** A scope of this store: layers built in `scope('blocks.3')` name their parameters `blocks.3.*`. */
  scope(prefix: string): ParamScope {
    return new ParamScope(this, prefix);
  }

  /** The entry called `name`, if any. */
  get(name: string): ParamEntry | undefined {
    return this.entries.get(name);
  }

  /** Trainable entries (what the optimiser updates). */
  parameters(): ParamEntry[] {
    return this.list().filter((entry) => entry.trainable);
  }

  /** Non-trainable entries (BN moving statistics). */
  state(): ParamEntry[] {
    return this.list().filter((entry) => !entry.trainable);
  }

  /** Number of trainable scalars: what torchvision's `sum(p.numel() for p in m.parameters())` counts. */
  countTrainable(): number {
    return this.parameters().reduce((n, entry) => n + elementCount(entry.shape), 0);
  }

  /** Number of scalars of every entry, state included. */
  countAll(): number {
    return this.list().reduce((n, entry) => n + elementCount(entry.shape), 0);
  }

  /** Variables by name (parameters and state); empty for a shape-only store. */
  variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const entry of this.entries.values()) if (entry.variable) out[entry.name] = entry.variable;
    return out;
  }

  /** Frees every variable; the store is empty afterwards. */
  dispose(): void {
    for (const entry of this.entries.values()) entry.variable?.dispose();
    this.entries.clear();
  }
}

/**
 * The variable of `entry` as a tensor to compute with.
 *
 * @throws EffnetBlockError when the entry was made by a shape-only store or has been disposed.
 */
export function valueOf<T extends tf.Tensor = tf.Tensor>(entry: ParamEntry): T {
  if (!entry.variable || entry.variable.isDisposed) {
    throw new EffnetBlockError(entry.name, 'has no values: the network was built shape-only (for counting) or has been disposed; build it with a normal ParamStore');
  }
  return entry.variable as unknown as T;
}

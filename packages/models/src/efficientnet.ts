// The classifier of the EfficientNet family built from a ModelSpec and nothing else (architecture
// is data): stem conv + BN + act, every block of the spec (MBConv, Fused-MBConv or ds, one factory), head
// 1×1 conv + BN + act, global average pooling, dropout and a linear classifier — torchvision's
// EfficientNet and EfficientNetV2 when the spec mirrors torchvision. Also a timm-style multi-scale
// feature extractor (`features` with outIndices), and a backbone-only form (`featuresOnly: true`,
// timm's features_only: stem and blocks, no head or classifier) that a detector builds inside its own
// parameter store. Tensors are NHWC; any input size works (progressive learning changes it between
// stages).
import * as tf from '@tensorflow/tfjs-core';
import { ConvBNAct, Dropout, Linear, ParamStore, applyContext, blockFromSpec, globalAveragePool, type ApplyContext, type Block, type ParamEntry, type ParamScope } from '@effnet/blocks';
import { preset, type ModelSpec, type PresetOverrides } from '@effnet/scaling';
import { EffnetModelError } from './errors.js';
import { normalizeInside } from './preprocessing.js';
import { classifierForm } from './inference/classifier-form.js';
import { FusedInference } from './inference/fused-inference.js';

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Training mode: BN batch statistics and moving-average updates, dropout and drop path. */
  training: boolean;
  /** Dropout before the classifier (default: the spec's). */
  dropout?: number;
  /** Network drop-path rate p; block i of N uses p·i/N (default: the spec's). */
  dropPath?: number;
  /** Seed of this pass's dropout and drop-path masks (default 0): same seed, same masks. */
  seed?: number;
  /** Batch norm on its moving statistics, left unchanged, even in training (fine-tuning with frozen batch norm). */
  frozenBatchNorm?: boolean;
}

/** Options of {@link EfficientNet.predict}. */
export interface PredictOptions {
  /** Fused inference form (default true): batch norm folded, conv + bias + activation in one kernel, constants kept (freed by `dispose()`, rebuilt after a weight change); `false` runs the modules. */
  fused?: boolean;
}

/** Options of {@link EfficientNet.features}. */
export interface FeatureOptions {
  /** Which feature levels to return, in this order (default: all; see {@link EfficientNet.featureInfo}). */
  outIndices?: readonly number[];
  /** Training mode (default false: evaluation). */
  training?: boolean;
  /** Network drop-path rate in training (default: the spec's). */
  dropPath?: number;
  /** Seed of the drop-path masks in training (default 0). */
  seed?: number;
}

/** One feature level of a backbone, as timm's `feature_info`. */
export interface FeatureInfo {
  /** Position in the list of levels (what `outIndices` selects). */
  index: number;
  /** Total stride of the level relative to the input (2, 4, 8, 16, 32). */
  reduction: number;
  /** Channels of the level's feature map. */
  channels: number;
  /** The module whose output it is: `stem` or `blocks.<i>` (the last block at that stride). */
  module: string;
}

/** How an {@link EfficientNet} is built (the constructor's options). */
export interface EfficientNetBuildOptions {
  /** Seed of the initial weights (default 0; with `scope`, the scope's store decides). */
  seed?: number;
  /** Record parameter shapes without allocating (to count the parameters of large presets). */
  shapeOnly?: boolean;
  /**
   * Backbone only (timm's `features_only`): build the stem and the blocks, not the 1×1 head, the
   * dropout or the classifier. `features()` works; `forward()` and `predict()` throw.
   */
  featuresOnly?: boolean;
  /**
   * Build inside this scope of a larger network's store (a detector's `backbone`): parameter names
   * get the scope's prefix (`backbone.blocks.3.dw.conv.kernel`), the owner of the store disposes
   * them, and `seed`/`shapeOnly` come from that store (leave them out).
   */
  scope?: ParamScope;
}

/** Options of {@link efficientnet}. */
export interface EfficientNetOptions extends PresetOverrides {
  /** Seed of the initial weights (default 0). */
  seed?: number;
  /** Record parameter shapes without allocating (to count the parameters of large presets). */
  shapeOnly?: boolean;
  /** Backbone only: stem and blocks, no head or classifier (see {@link EfficientNetBuildOptions.featuresOnly}). */
  featuresOnly?: boolean;
}

/** An EfficientNet classifier (and feature extractor); `dispose()` frees its variables. */
export class EfficientNet {
  /** Parameters and state by name (with `scope`, the owner's whole store). */
  readonly store: ParamStore;
  /** Whether this is the backbone-only form (no head, dropout or classifier). */
  readonly featuresOnly: boolean;
  private readonly root: ParamScope;
  private readonly owned: boolean;
  private readonly stem: ConvBNAct;
  private readonly blocks: Block[];
  private readonly head: ConvBNAct | null;
  private readonly dropout: Dropout | null;
  private readonly classifier: Linear | null;
  private readonly levels: FeatureInfo[];
  private readonly fusedInference = new FusedInference((size) => classifierForm(this, size), () => this.entries().flatMap((e) => (e.variable ? [e.variable] : [])));

  /**
   * @param spec - Any resolved classifier spec.
   * @param options - Initialisation seed; `shapeOnly` to allocate nothing; `featuresOnly` for the
   *   backbone alone; `scope` to build inside another network's store.
   * @throws EffnetModelError for a detector spec or `seed`/`shapeOnly` given with `scope`;
   *   EffnetBlockError for an impossible block.
   */
  constructor(
    readonly spec: ModelSpec,
    options: EfficientNetBuildOptions = {},
  ) {
    if ((spec as { family: string }).family === 'efficientdet') throw new EffnetModelError('spec', `'${spec.name}' is a detector; EfficientNet builds classifiers and backbones`);
    if (options.scope && (options.seed !== undefined || options.shapeOnly !== undefined)) {
      throw new EffnetModelError('scope', 'seed and shapeOnly come from the store of the scope; leave them out when you pass a scope');
    }
    this.owned = !options.scope;
    this.store = options.scope?.store ?? new ParamStore({ seed: options.seed ?? 0, shapeOnly: options.shapeOnly });
    this.root = options.scope ?? this.store.scope('');
    this.featuresOnly = options.featuresOnly === true;
    const common = { padding: spec.padding, batchNorm: spec.batchNorm, activation: spec.activation };
    try {
      this.stem = new ConvBNAct(this.root.scope('stem'), {
        inChannels: spec.inChannels, outChannels: spec.stem.outChannels, kernel: spec.stem.kernel, stride: spec.stem.stride, ...common,
      });
      this.blocks = spec.blocks.map((block, i) => blockFromSpec(this.root.scope(`blocks.${i}`), block, common));
      const last = spec.blocks.at(-1)?.outChannels ?? spec.stem.outChannels;
      this.head = this.featuresOnly ? null : new ConvBNAct(this.root.scope('head'), { inChannels: last, outChannels: spec.head.outChannels, kernel: 1, ...common });
      this.dropout = this.featuresOnly ? null : new Dropout(this.root.scope('dropout'), spec.dropout);
      this.classifier =
        !this.featuresOnly && spec.numClasses > 0 ? new Linear(this.root.scope('classifier'), { inFeatures: spec.head.outChannels, outFeatures: spec.numClasses }) : null;
    } catch (error) {
      if (this.owned) this.store.dispose();
      throw error;
    }
    this.levels = featureLevels(spec);
  }

  /** This network's entries (all of the store's, or those under `scope`). */
  private entries(): ParamEntry[] {
    return this.owned ? this.store.list() : this.root.list();
  }

  /** The feature levels `features()` can return: one per distinct stride, the last module at that stride. */
  featureInfo(): FeatureInfo[] {
    return this.levels.map((level) => ({ ...level }));
  }

  private checkImages(images: tf.Tensor): tf.Tensor4D {
    if (!(images instanceof tf.Tensor) || images.rank !== 4 || images.shape[3] !== this.spec.inChannels) {
      const shape = images instanceof tf.Tensor ? `[${images.shape.join(', ')}]` : String(images);
      throw new EffnetModelError('images', `expected NHWC images [batch, height, width, ${this.spec.inChannels}], got shape ${shape}`);
    }
    return images as tf.Tensor4D;
  }

  private blockContext(ctx: ApplyContext, i: number, rate: number | undefined): ApplyContext {
    return rate === undefined ? ctx : { ...ctx, dropPath: (rate * i) / this.blocks.length };
  }

  /** Logits `[batch, classes]` (pooled features `[batch, head channels]` when the spec has no classifier). */
  forward(images: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D {
    if (!this.head) throw new EffnetModelError('featuresOnly', `'${this.spec.name}' was built featuresOnly (no head or classifier): call features(), or build it without featuresOnly`);
    const head = this.head;
    const x0 = this.checkImages(images);
    const ctx = applyContext({ training: options.training === true, seed: options.seed ?? 0, frozenBatchNorm: options.frozenBatchNorm === true });
    return tf.tidy(() => {
      let x = this.stem.apply(normalizeInside(x0, this.spec.preprocessing), ctx);
      this.blocks.forEach((block, i) => {
        x = block.apply(x, this.blockContext(ctx, i, options.dropPath));
      });
      x = head.apply(x, ctx);
      const pooled = globalAveragePool(x);
      if (!this.classifier) return pooled;
      const dropped = this.dropout!.apply(pooled, ctx, options.dropout ?? this.spec.dropout) as tf.Tensor2D;
      return this.classifier.apply(dropped, ctx);
    });
  }

  /**
   * Evaluation-mode logits (features without a classifier), by default through the fused inference
   * form; equal to `forward(images, { training: false })` within float32 rounding.
   *
   * @param images - NHWC images [batch, height, width, channels] of any size.
   * @param options - `{ fused: false }` to run the modules instead of the fused form.
   * @throws EffnetModelError for a featuresOnly backbone or a bad image shape.
   */
  predict(images: tf.Tensor4D, options: PredictOptions = {}): tf.Tensor2D {
    const fused = options.fused === false || !this.head ? null : this.fusedInference.run(this.checkImages(images));
    return (fused?.[0] as tf.Tensor2D | undefined) ?? this.forward(images, { training: false });
  }

  /** Reads the weights asynchronously so that the next fused predict needs no synchronous read (webgpu's first predict otherwise runs the modules). */
  prepareInference(): Promise<void> {
    return this.fusedInference.prepare();
  }

  /**
   * timm-style `featuresOnly`: the feature maps at the levels of {@link EfficientNet.featureInfo}
   * (strides 2, 4, 8, 16, 32 for every preset), in `outIndices` order. The head is not run.
   *
   * @param images - NHWC images.
   * @param options - Which levels, and training mode.
   * @throws EffnetModelError for a bad image shape or an index that is not a level.
   */
  features(images: tf.Tensor4D, options: FeatureOptions = {}): tf.Tensor4D[] {
    const x0 = this.checkImages(images);
    const outIndices = options.outIndices ?? this.levels.map((level) => level.index);
    if (!Array.isArray(outIndices) || outIndices.length === 0) throw new EffnetModelError('outIndices', 'must be a non-empty list of feature level indices');
    for (const index of outIndices) {
      if (!Number.isInteger(index) || index < 0 || index >= this.levels.length) {
        throw new EffnetModelError('outIndices', `${String(index)} is not a feature level; levels are 0…${this.levels.length - 1} (reductions ${this.levels.map((l) => l.reduction).join(', ')})`);
      }
    }
    if (new Set(outIndices).size !== outIndices.length) throw new EffnetModelError('outIndices', `lists a level twice: [${outIndices.join(', ')}]`);
    const wanted = new Map(outIndices.map((index) => [this.levels[index]!.module, index]));
    const lastModule = Math.max(...outIndices.map((index) => moduleOrder(this.levels[index]!.module)));
    const ctx = applyContext({ training: options.training === true, seed: options.seed ?? 0 });
    return tf.tidy(() => {
      const found = new Map<number, tf.Tensor4D>();
      let x = this.stem.apply(normalizeInside(x0, this.spec.preprocessing), ctx);
      if (wanted.has('stem')) found.set(wanted.get('stem')!, x);
      for (let i = 0; i < this.blocks.length && i < lastModule; i++) {
        x = this.blocks[i]!.apply(x, this.blockContext(ctx, i, options.dropPath));
        const index = wanted.get(`blocks.${i}`);
        if (index !== undefined) found.set(index, x);
      }
      return outIndices.map((index) => found.get(index)!);
    });
  }

  /** Trainable parameter count; equals `cost(spec).params` of @effnet/scaling (without featuresOnly). */
  countParams(): number {
    return this.entries().reduce((n, entry) => (entry.trainable ? n + entry.shape.reduce((a, b) => a * b, 1) : n), 0);
  }

  /** The variables the optimiser updates. */
  trainableVariables(): tf.Variable[] {
    return this.entries().flatMap((entry) => (entry.trainable && entry.variable ? [entry.variable] : []));
  }

  /** Every variable (weights and BN statistics) by stable name (with the scope's prefix, if any). */
  namedVariables(): Record<string, tf.Variable> {
    return Object.fromEntries(this.entries().flatMap((entry) => (entry.variable ? [[entry.name, entry.variable] as const] : [])));
  }

  /**
   * Frees every variable.
   *
   * @throws EffnetModelError when built inside another network's scope (dispose that network).
   */
  dispose(): void {
    if (!this.owned) throw new EffnetModelError('dispose', `'${this.spec.name}' was built inside another network's store (scope '${this.root.prefix}'); dispose that network instead`);
    this.fusedInference.dispose();
    this.store.dispose();
  }
}

/** 0 for the stem, i + 1 for block i. */
function moduleOrder(module: string): number {
  return module === 'stem' ? 0 : Number(module.slice('blocks.'.length)) + 1;
}

/** One level per distinct cumulative stride: the last module (stem or block) at that stride. */
function featureLevels(spec: ModelSpec): FeatureInfo[] {
  const levels: FeatureInfo[] = [];
  const record = (reduction: number, channels: number, module: string) => {
    const last = levels.at(-1);
    if (last && last.reduction === reduction) Object.assign(last, { channels, module });
    else levels.push({ index: levels.length, reduction, channels, module });
  };
  let reduction = spec.stem.stride;
  record(reduction, spec.stem.outChannels, 'stem');
  spec.blocks.forEach((block, i) => {
    reduction *= block.stride;
    record(reduction, block.outChannels, `blocks.${i}`);
  });
  return levels;
}

/**
 * Builds a classifier from a preset name (with overrides) or a ModelSpec, with no per-variant code.
 *
 * @param nameOrSpec - A preset name (`efficientnet-b0`, `efficientnetv2-s`, …) or any ModelSpec.
 * @param options - Preset overrides (numClasses, inChannels, padding, dropout, dropPath, …), seed,
 *   shapeOnly, featuresOnly (stem and blocks only: `efficientnet('efficientnet-b0', { featuresOnly: true }).features(x)`).
 * @throws EffnetModelError for a detector; EffnetConfigError (from @effnet/scaling) for an unknown preset or bad override.
 */
export function efficientnet(nameOrSpec: string | ModelSpec, options: EfficientNetOptions = {}): EfficientNet {
  const { seed, shapeOnly, featuresOnly, ...overrides } = options;
  const spec = typeof nameOrSpec === 'string' ? preset(nameOrSpec, overrides) : nameOrSpec;
  if (spec.family === 'efficientdet') throw new EffnetModelError('nameOrSpec', `'${spec.name}' is a detector; efficientnet() builds classifiers (its backbone is detectorPreset(name).backbone)`);
  return new EfficientNet(spec, { seed, shapeOnly, featuresOnly });
}

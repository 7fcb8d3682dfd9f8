// The classifier of the EfficientNet family built from a ModelSpec and nothing else (STYLE.md rule
// 1): stem conv + BN + SiLU, every block of the spec (MBConv or Fused-MBConv), head 1×1 conv + BN +
// SiLU, global average pooling, dropout and a linear classifier — torchvision's EfficientNet and
// EfficientNetV2 when the spec mirrors torchvision. Tensors are NHWC.
import * as tf from '@tensorflow/tfjs-core';
import { ConvBNAct, FusedMBConv, MBConv, ParamStore, constant, linearUniform } from '@effnet/blocks';
import { preset, type ModelSpec, type PresetOverrides } from '@effnet/scaling';
import { EffnetModelError } from './errors.js';

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Training mode: BN batch statistics and moving-average updates, dropout and drop path. */
  training: boolean;
  /** Dropout before the classifier (default: the spec's). */
  dropout?: number;
  /** Network drop-path rate p; block i of N uses p·i/N (default: the spec's). */
  dropPath?: number;
  /** Seed of this call's dropout and drop-path masks. */
  seed?: number;
}

/** Options of {@link efficientnet}. */
export interface EfficientNetOptions extends PresetOverrides {
  /** Seed of the initial weights. */
  seed?: number;
  /** Record parameter shapes without allocating (to count the parameters of large presets). */
  shapeOnly?: boolean;
}

type Block = MBConv | FusedMBConv;

/** An EfficientNet classifier; `dispose()` frees its variables. */
export class EfficientNet {
  /** Parameters and state by name. */
  readonly store: ParamStore;
  private readonly stem: ConvBNAct;
  private readonly blocks: Block[];
  private readonly head: ConvBNAct;
  private readonly classifierKernel: tf.Variable | null;
  private readonly classifierBias: tf.Variable | null;

  constructor(readonly spec: ModelSpec, options: { seed?: number; shapeOnly?: boolean } = {}) {
    this.store = new ParamStore({ seed: options.seed ?? 0, shapeOnly: options.shapeOnly });
    const common = { padding: spec.padding, batchNorm: spec.batchNorm };
    this.stem = new ConvBNAct(this.store, 'stem', {
      inChannels: spec.inChannels, outChannels: spec.stem.outChannels, kernel: spec.stem.kernel, stride: spec.stem.stride, activation: spec.activation, ...common,
    });
    this.blocks = spec.blocks.map((block, i) => {
      switch (block.kind) {
        case 'mbconv':
          return new MBConv(this.store, `blocks.${i}`, block, common);
        case 'fused-mbconv':
          return new FusedMBConv(this.store, `blocks.${i}`, block, common);
        default:
          throw new EffnetModelError('spec', `block ${i} has kind '${block.kind}', which effnet cannot build yet; use 'mbconv' or 'fused-mbconv'`);
      }
    });
    const last = spec.blocks.at(-1)?.outChannels ?? spec.stem.outChannels;
    this.head = new ConvBNAct(this.store, 'head', { inChannels: last, outChannels: spec.head.outChannels, kernel: 1, stride: 1, activation: spec.activation, ...common });
    if (spec.numClasses > 0) {
      this.classifierKernel = this.store.add('classifier.kernel', [spec.head.outChannels, spec.numClasses], linearUniform(spec.numClasses));
      this.classifierBias = this.store.add('classifier.bias', [spec.numClasses], constant(0));
    } else {
      this.classifierKernel = null;
      this.classifierBias = null;
    }
  }

  /** Pooled features `[batch, head channels]` (before dropout and the classifier). */
  private pooled(images: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D {
    const { training, seed = 0 } = options;
    const rate = options.dropPath ?? this.spec.dropPath;
    const n = this.blocks.length;
    let x = this.stem.apply(images, training);
    this.blocks.forEach((block, i) => {
      x = block.apply(x, { training, dropPath: (rate * i) / n, seed: (seed * 1000003 + i * 7919) >>> 0 });
    });
    x = this.head.apply(x, training);
    return tf.mean(x, [1, 2]) as tf.Tensor2D;
  }

  /** Logits `[batch, classes]` (pooled features when the spec has no classifier). */
  forward(images: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D {
    if (images.rank !== 4 || images.shape[3] !== this.spec.inChannels) {
      throw new EffnetModelError('images', `expected NHWC images with ${this.spec.inChannels} channels, got shape [${images.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      let features = this.pooled(images, options);
      if (!this.classifierKernel) return features;
      const dropout = options.dropout ?? this.spec.dropout;
      if (options.training && dropout > 0) features = tf.dropout(features, dropout, undefined, options.seed ?? 0) as tf.Tensor2D;
      return tf.add(tf.matMul(features, this.classifierKernel as tf.Tensor2D), this.classifierBias!) as tf.Tensor2D;
    });
  }

  /** Evaluation-mode logits. */
  predict(images: tf.Tensor4D): tf.Tensor2D {
    return this.forward(images, { training: false });
  }

  /** Trainable parameter count; equals `cost(spec).params` of @effnet/scaling. */
  countParams(): number {
    return this.store.countTrainable();
  }

  /** The variables the optimiser updates. */
  trainableVariables(): tf.Variable[] {
    return this.store.list().filter((e) => e.trainable && e.variable).map((e) => e.variable!);
  }

  /** Every variable (weights and BN statistics) by stable name. */
  namedVariables(): Record<string, tf.Variable> {
    return this.store.variables();
  }

  /** Frees every variable. */
  dispose(): void {
    this.store.dispose();
  }
}

/** Builds a classifier from a preset name (with overrides) or a ModelSpec. */
export function efficientnet(nameOrSpec: string | ModelSpec, options: EfficientNetOptions = {}): EfficientNet {
  const { seed, shapeOnly, ...overrides } = options;
  const spec = typeof nameOrSpec === 'string' ? preset(nameOrSpec, overrides) : nameOrSpec;
  if (spec.family === 'efficientdet') throw new EffnetModelError('nameOrSpec', `'${spec.name}' is a detector; efficientnet() builds classifiers`);
  return new EfficientNet(spec, { seed, shapeOnly });
}

// What MBConv and Fused-MBConv share (MobileNetV2's inverted residual): an optional expansion, an
// optional depthwise conv, an optional squeeze-excite, a projection, and a residual with drop path
// when stride is 1 and the shapes match. The two blocks differ only in which convolutions they
// build (mbconv.ts, fused-mbconv.ts); the order of the forward pass is the same.
import * as tf from '@tensorflow/tfjs-core';
import type { BlockSpec } from '@effnet/scaling';
import type { BlockOptions } from './block-options.js';
import { ConvBNAct, type ConvBNActOptions } from './conv-bn-act.js';
import { DropPath } from './drop-path.js';
import { Layer, requireImages, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';
import { SqueezeExcite } from './squeeze-excite.js';

/** The convolutions of one block, built in this order (expand, dw, se, project). */
export interface InvertedResidualParts {
  /** Expansion, when the block widens. */
  expand: ConvBNAct | null;
  /** Depthwise convolution (MBConv only). */
  dw: ConvBNAct | null;
  /** Squeeze-excitation, when `seChannels > 0`. */
  se: SqueezeExcite | null;
  /** Projection. */
  project: ConvBNAct;
}

/** Builds a ConvBNAct named `name` under `scope` with the network's padding and batch norm. */
export function convIn(scope: ParamScope, options: BlockOptions) {
  return (name: string, layer: Omit<ConvBNActOptions, 'padding' | 'batchNorm'>): ConvBNAct =>
    new ConvBNAct(scope.scope(name), { ...layer, padding: options.padding, batchNorm: options.batchNorm });
}

/** The block's squeeze-excite over `channels`, or null when the spec has none. */
export function squeezeExciteOf(scope: ParamScope, spec: BlockSpec, channels: number, options: BlockOptions): SqueezeExcite | null {
  return spec.seChannels > 0 ? new SqueezeExcite(scope.scope('se'), { channels, squeezed: spec.seChannels, activation: options.activation ?? 'silu' }) : null;
}

/** An inverted-residual block from its built parts. */
export abstract class InvertedResidual extends Layer {
  /** Expansion, when the block widens. */
  readonly expand: ConvBNAct | null;
  /** Squeeze-excitation, when `seChannels > 0`. */
  readonly se: SqueezeExcite | null;
  /** Projection (see each block for its kernel and activation). */
  readonly project: ConvBNAct;
  /** Drop path of the residual branch (only when `spec.residual`). */
  readonly dropPath: DropPath | null;
  private readonly depthwise: ConvBNAct | null;

  /**
   * @param scope - Where the parameters live, e.g. `store.scope('blocks.3')`.
   * @param spec - The resolved block.
   * @param parts - The convolutions the block built.
   */
  protected constructor(
    scope: ParamScope,
    readonly spec: BlockSpec,
    parts: InvertedResidualParts,
  ) {
    super(scope);
    this.expand = parts.expand;
    this.depthwise = parts.dw;
    this.se = parts.se;
    this.project = parts.project;
    this.dropPath = spec.residual ? new DropPath(scope.scope('dropPath'), spec.dropPath) : null;
  }

  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    requireImages(this.name, x, this.spec.inChannels);
    let h = this.expand ? this.expand.apply(x, ctx) : x;
    if (this.depthwise) h = this.depthwise.apply(h, ctx);
    if (this.se) h = this.se.apply(h, ctx);
    h = this.project.apply(h, ctx);
    return this.dropPath ? tf.add(this.dropPath.apply(h, ctx), x) : h;
  }
}

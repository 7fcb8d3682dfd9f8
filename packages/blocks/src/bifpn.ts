// One BiFPN layer (EfficientDet 2020, section 3 and Figure 2d; google/automl `FPNCells`): a
// top-down path from the highest level to the lowest, then a bottom-up path back, the extra edge
// from each original input to the output node of its level, and single-input nodes dropped (the
// node list is `bifpnNodes` of @effnet/scaling). Every node resamples each input to its level
// (ResampleFeature), fuses them (WeightedFusion), applies the activation, then a separable conv
// 3×3 (bias) + BN. Parameter names: `nodes.<i>.resample.<j>.*`, `nodes.<i>.fusion.weights`,
// `nodes.<i>.conv.{depthwise,pointwise,bn}.*`.
import * as tf from '@tensorflow/tfjs-core';
import { bifpnNodes, type Activation, type BatchNormSpec, type BifpnNode, type FusionMode, type PaddingConvention } from '@effnet/scaling';
import { activate } from './activation.js';
import { EffnetBlockError } from './errors.js';
import type { ApplyContext } from './module.js';
import type { ParamEntry, ParamScope } from './param-store.js';
import { ResampleFeature } from './resample-feature.js';
import { SeparableConv } from './separable-conv.js';
import { WeightedFusion } from './weighted-fusion.js';

/** Options of a {@link BiFpnLayer}. */
export interface BiFpnLayerOptions {
  /** Lowest pyramid level (3 = stride 8). */
  minLevel: number;
  /** Highest pyramid level. */
  maxLevel: number;
  /** Channels of each input level, lowest first (the BiFPN width after the first layer). */
  inChannels: readonly number[];
  /** BiFPN width: channels of every output. */
  channels: number;
  /** How nodes fuse their inputs. */
  fusion: FusionMode;
  /** Activation after fusion. */
  activation: Activation;
  /** Padding convention. */
  padding: PaddingConvention;
  /** BN settings. */
  batchNorm: BatchNormSpec;
}

/** The parts of one fusion node. */
interface NodeLayers {
  node: BifpnNode;
  resample: ResampleFeature[];
  fusion: WeightedFusion;
  conv: SeparableConv;
}

/** One BiFPN layer: pyramid features in, pyramid features of `channels` channels out. */
export class BiFpnLayer {
  private readonly nodes: NodeLayers[];

  /**
   * @param scope - Where the parameters live.
   * @param options - Levels, channels, fusion, activation, padding, BN.
   * @throws EffnetBlockError when `inChannels` does not list one count per level.
   */
  constructor(
    private readonly scope: ParamScope,
    readonly options: BiFpnLayerOptions,
  ) {
    const { minLevel, maxLevel, inChannels, channels, fusion, padding, batchNorm } = options;
    const levels = maxLevel - minLevel + 1;
    if (!Number.isSafeInteger(levels) || levels < 2 || inChannels.length !== levels) {
      throw new EffnetBlockError(scope.prefix, `needs at least two levels and one channel count per level (${minLevel}…${maxLevel}), got ${inChannels.length} counts`);
    }
    const featureChannels = [...inChannels];
    this.nodes = bifpnNodes(minLevel, maxLevel).map((node, i) => {
      const nodeScope = scope.scope('nodes').scope(i);
      const resample = node.inputs.map((input, j) => new ResampleFeature(nodeScope.scope('resample').scope(j), { inChannels: featureChannels[input]!, outChannels: channels, padding, batchNorm }));
      const layers: NodeLayers = {
        node,
        resample,
        fusion: new WeightedFusion(nodeScope.scope('fusion'), node.inputs.length, fusion),
        conv: new SeparableConv(nodeScope.scope('conv'), { inChannels: channels, outChannels: channels, kernel: 3, padding, batchNorm, activation: null }),
      };
      featureChannels.push(channels);
      return layers;
    });
  }

  /** The name prefix of the layer's parameters. */
  get name(): string {
    return this.scope.prefix;
  }

  /**
   * Runs the layer.
   *
   * @param features - One NHWC map per level, lowest level first.
   * @param ctx - Training mode and random source.
   * @returns One map per level with `channels` channels, lowest first.
   * @throws EffnetBlockError for a wrong number of levels or channel counts.
   */
  apply(features: readonly tf.Tensor4D[], ctx: ApplyContext): tf.Tensor4D[] {
    const { minLevel, inChannels } = this.options;
    if (features.length !== inChannels.length || features.some((f, i) => f.rank !== 4 || f.shape[3] !== inChannels[i])) {
      throw new EffnetBlockError(this.name, `expected ${inChannels.length} NHWC maps with channels [${inChannels.join(', ')}], got [${features.map((f) => f.shape.join('×')).join(', ')}]`);
    }
    return tf.tidy(() => {
      const all: tf.Tensor4D[] = [...features];
      const outputs: tf.Tensor4D[] = [...features];
      for (const { node, resample, fusion, conv } of this.nodes) {
        const target = features[node.level - minLevel]!;
        const size: [number, number] = [target.shape[1], target.shape[2]];
        const inputs = node.inputs.map((input, j) => resample[j]!.resample(all[input]!, size, ctx));
        const fused = activate(fusion.fuse(inputs, ctx), this.options.activation);
        const out = conv.apply(fused, ctx);
        all.push(out);
        outputs[node.level - minLevel] = out;
      }
      return outputs;
    });
  }

  /** Trainable parameters, by hierarchical name. */
  parameters(): ParamEntry[] {
    return this.scope.list().filter((entry) => entry.trainable);
  }

  /** BN moving statistics. */
  state(): ParamEntry[] {
    return this.scope.list().filter((entry) => !entry.trainable);
  }
}

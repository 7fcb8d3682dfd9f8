// Resampling a feature map to another pyramid level (google/automl `ResampleFeatureMap`, as the
// EfficientDet paper's Figure 3 uses it): a 1×1 convolution with bias + BN where the channel count
// differs (no activation), then max-pool 3×3 stride 2 per level down, or nearest-neighbour
// resizing up to the target size. P6 and P7 come from P5 this way. Sub-layers `conv`, `bn`.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNormSpec, PaddingConvention } from '@effnet/scaling';
import { BatchNorm } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { EffnetBlockError } from './errors.js';
import { Layer, requireImages, type ApplyContext } from './module.js';
import type { ParamScope } from './param-store.js';

/** Options of a {@link ResampleFeature}. */
export interface ResampleFeatureOptions {
  /** Channels of the input map. */
  inChannels: number;
  /** Channels wanted (a 1×1 conv + BN is added when they differ). */
  outChannels: number;
  /** Padding convention of the pooling. */
  padding: PaddingConvention;
  /** BN settings of the projection. */
  batchNorm: BatchNormSpec;
}

/** Projects channels where needed and moves a feature map up or down the pyramid. */
export class ResampleFeature extends Layer {
  /** The 1×1 projection, when the channels differ. */
  readonly conv: Conv2d | null;
  /** Its batch norm. */
  readonly bn: BatchNorm | null;

  /**
   * @param scope - Where the parameters live.
   * @param options - Channels, padding, BN settings.
   */
  constructor(
    scope: ParamScope,
    readonly options: ResampleFeatureOptions,
  ) {
    super(scope);
    const { inChannels, outChannels, padding, batchNorm } = options;
    if (inChannels !== outChannels) {
      this.conv = new Conv2d(scope.scope('conv'), { inChannels, outChannels, kernel: 1, padding, bias: true });
      this.bn = new BatchNorm(scope.scope('bn'), { channels: outChannels, ...batchNorm });
    } else {
      this.conv = null;
      this.bn = null;
    }
  }

  /** One level down: project, then max-pool 3×3 stride 2 (how P6 is made from P5). */
  protected forward(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    return this.pool(this.project(x, ctx));
  }

  /**
   * Resamples `x` to `size` = [height, width]: project, then max-pool 3×3 stride 2 until it is no
   * larger, or resize up with nearest neighbours.
   *
   * @throws EffnetBlockError for an input that is not NHWC with `inChannels` channels, or a bad size.
   */
  resample(x: tf.Tensor4D, size: readonly [number, number], ctx: ApplyContext): tf.Tensor4D {
    const input = requireImages(this.name, x, this.options.inChannels);
    if (!(Number.isSafeInteger(size[0]) && Number.isSafeInteger(size[1]) && size[0] > 0 && size[1] > 0)) {
      throw new EffnetBlockError(this.name, `target size must be two positive integers, got [${size.join(', ')}]`);
    }
    return tf.tidy(() => {
      let y = this.project(input, ctx);
      while (y.shape[1] > size[0] || y.shape[2] > size[1]) y = this.pool(y);
      if (y.shape[1] !== size[0] || y.shape[2] !== size[1]) y = tf.image.resizeNearestNeighbor(y, [size[0], size[1]]);
      return y;
    });
  }

  private project(x: tf.Tensor4D, ctx: ApplyContext): tf.Tensor4D {
    if (!this.conv || !this.bn) return requireImages(this.name, x, this.options.inChannels);
    return this.bn.apply(this.conv.apply(x, ctx), ctx);
  }

  private pool(x: tf.Tensor4D): tf.Tensor4D {
    return tf.maxPool(x, 3, 2, this.options.padding === 'same' ? 'same' : 1);
  }
}

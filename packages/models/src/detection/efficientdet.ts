// EfficientDet built from a DetectorSpec and nothing else (EfficientDet 2020; google/automl
// efficientdet_arch.py): the EfficientNet backbone in its featuresOnly form (stem and blocks, no head,
// built by efficientnet.ts inside this detector's store) giving P3-P5, P6 and
// P7 resampled from P5, `bifpn.layers` BiFPN layers, and class and box nets shared across levels.
// `forward` gives raw outputs on the anchor layout of anchors.ts; `detect` adds top-k, class-wise
// NMS and the 100-detection limit; `loss` matches ground truth to anchors and applies the focal
// and Huber losses. Tensors are NHWC; parameters live in one ParamStore with stable names
// (`backbone.*`, `resample.<level>.*`, `bifpn.<i>.*`, `classNet.*`, `boxNet.*`).
import * as tf from '@tensorflow/tfjs-core';
import { BiFpnLayer, ParamStore, ResampleFeature, applyContext } from '@effnet/blocks';
import { detectorPreset, type DetectorSpec, type PresetOverrides } from '@effnet/scaling';
import { EfficientNet, type PredictOptions } from '../efficientnet.js';
import { detectorForm } from '../inference/detector-form.js';
import { FusedInference } from '../inference/fused-inference.js';
import { EffnetModelError } from '../errors.js';
import { preprocess } from '../preprocessing.js';
import { anchorConfig, generateAnchors, type Anchors } from './anchors.js';
import { matchAnchors } from './anchor-matching.js';
import { HeadNet } from './head-net.js';
import { detectionLoss, type DetectionLoss, type DetectionLossOptions } from './losses.js';
import { postprocessDetections, type Detection, type PostprocessOptions } from './postprocess.js';
import type { LabelledBox } from './coco-eval.js';

/** Options of a detector forward pass. */
export interface DetectorForwardOptions {
  /** Training mode: BN batch statistics and moving-average updates, drop path. */
  training: boolean;
  /** Seed of this pass's drop-path masks (default 0). */
  seed?: number;
}

/** Raw outputs of the detector on its anchors. */
export interface DetectorOutputs {
  /** `[batch, anchors, classes]` logits. */
  classLogits: tf.Tensor3D;
  /** `[batch, anchors, 4]` encoded boxes `[ty, tx, th, tw]`. */
  boxDeltas: tf.Tensor3D;
}

/** Options of {@link efficientdet}. */
export interface EfficientDetOptions extends PresetOverrides {
  /** Seed of the initial weights (default 0). */
  seed?: number;
  /** Record parameter shapes without allocating (to count the parameters of D7). */
  shapeOnly?: boolean;
}

/** Prior probability of an object at initialisation (RetinaNet's π = 0.01). */
const PRIOR = 0.01;

/** An EfficientDet detector; `dispose()` frees its variables. */
export class EfficientDet {
  /** Parameters and state by name. */
  readonly store: ParamStore;
  /** The backbone: EfficientNet built featuresOnly in this store's `backbone` scope. */
  readonly backbone: EfficientNet;
  private readonly backboneOutIndices: number[];
  private readonly extraLevels: ResampleFeature[];
  private readonly bifpn: BiFpnLayer[];
  private readonly classNet: HeadNet;
  private readonly boxNet: HeadNet;
  private readonly anchorCache = new Map<string, Anchors>();
  private readonly fusedInference = new FusedInference(
    (size) => detectorForm(this, size),
    () => this.store.list().flatMap((entry) => (entry.variable ? [entry.variable] : [])),
  );

  /**
   * @param spec - A resolved detector (`detectorPreset('efficientdet-d0')`, or a custom one).
   * @param options - Initialisation seed; `shapeOnly` to allocate nothing.
   * @throws EffnetModelError for a spec that is not a detector or has inconsistent levels.
   */
  constructor(
    readonly spec: DetectorSpec,
    options: { seed?: number; shapeOnly?: boolean } = {},
  ) {
    if (spec?.family !== 'efficientdet') throw new EffnetModelError('spec', `expected a DetectorSpec (family 'efficientdet'), got family '${String(spec?.family)}'; see detectorPreset()`);
    if (spec.minLevel !== 3 || spec.maxLevel < 5) throw new EffnetModelError('spec', `levels must run from P3 to P5 or higher (the backbone gives P3-P5), got P${spec.minLevel}-P${spec.maxLevel}`);
    this.store = new ParamStore({ seed: options.seed ?? 0, shapeOnly: options.shapeOnly });
    const common = { padding: spec.padding, batchNorm: spec.batchNorm, activation: spec.activation };
    const { channels, layers, fusion } = spec.bifpn;
    const levels = spec.maxLevel - spec.minLevel + 1;
    try {
      this.backbone = new EfficientNet(spec.backbone, { featuresOnly: true, scope: this.store.scope('backbone') });
      const info = this.backbone.featureInfo();
      this.backboneOutIndices = spec.backboneLevels.map((block) => {
        const level = info.find((l) => l.module === `blocks.${block}`);
        if (!level) throw new EffnetModelError('spec', `backboneLevels names block ${block}, which is not the last block of a stride of '${spec.backbone.name}'; see backboneLevelIndices()`);
        return level.index;
      });
      const levelChannels = spec.backboneLevels.map((index) => spec.backbone.blocks[index]!.outChannels);
      this.extraLevels = [];
      for (let level = 6; level <= spec.maxLevel; level++) {
        const inChannels = levelChannels.at(-1)!;
        this.extraLevels.push(new ResampleFeature(this.store.scope('resample').scope(level), { inChannels, outChannels: channels, padding: spec.padding, batchNorm: spec.batchNorm }));
        levelChannels.push(channels);
      }
      this.bifpn = Array.from({ length: layers }, (_, i) =>
        new BiFpnLayer(this.store.scope('bifpn').scope(i), {
          minLevel: spec.minLevel, maxLevel: spec.maxLevel, inChannels: i === 0 ? levelChannels : new Array<number>(levels).fill(channels), channels, fusion, ...common,
        }),
      );
      const anchors = spec.anchors.scales.length * spec.anchors.aspectRatios.length;
      const head = { channels, layers: spec.head.layers, levels, ...common };
      this.classNet = new HeadNet(this.store.scope('classNet'), { ...head, outputs: anchors * spec.numClasses, predictionBias: -Math.log((1 - PRIOR) / PRIOR) });
      this.boxNet = new HeadNet(this.store.scope('boxNet'), { ...head, outputs: anchors * 4 });
    } catch (error) {
      this.store.dispose();
      throw error;
    }
  }

  /** The anchors of a `height`×`width` input (cached). */
  anchors(height = this.spec.resolution, width = height): Anchors {
    const key = `${height}x${width}`;
    let anchors = this.anchorCache.get(key);
    if (!anchors) this.anchorCache.set(key, (anchors = generateAnchors(anchorConfig(this.spec), height, width)));
    return anchors;
  }

  private checkImages(images: tf.Tensor): tf.Tensor4D {
    const channels = this.spec.backbone.inChannels;
    if (!(images instanceof tf.Tensor) || images.rank !== 4 || images.shape[3] !== channels) {
      const shape = images instanceof tf.Tensor ? `[${images.shape.join(', ')}]` : String(images);
      throw new EffnetModelError('images', `expected NHWC images [batch, height, width, ${channels}], got shape ${shape}`);
    }
    const x = images as tf.Tensor4D;
    const stride = 2 ** this.spec.maxLevel;
    if (x.shape[1] % stride !== 0 || x.shape[2] % stride !== 0) {
      throw new EffnetModelError('images', `height and width must be multiples of ${stride} (P${this.spec.maxLevel}), got ${x.shape[1]}×${x.shape[2]}; resize or pad the images`);
    }
    return x;
  }

  /**
   * The pyramid after the last BiFPN layer, lowest level first.
   *
   * @param images - NHWC images as the backbone takes them (see `preprocess`).
   */
  pyramid(images: tf.Tensor4D, options: DetectorForwardOptions): tf.Tensor4D[] {
    const x0 = this.checkImages(images);
    const training = options.training === true;
    const seed = options.seed ?? 0;
    // The backbone draws its drop-path masks from its own stream of `seed`; the rest from another.
    const ctx = applyContext({ training, seed: seed ^ 0x2545f491 });
    return tf.tidy(() => {
      const features = this.backbone.features(x0, { outIndices: this.backboneOutIndices, training, seed });
      for (const resample of this.extraLevels) features.push(resample.apply(features.at(-1)!, ctx));
      let pyramid = features;
      for (const layer of this.bifpn) pyramid = layer.apply(pyramid, ctx);
      return pyramid;
    });
  }

  /**
   * Raw class logits and box deltas on every anchor.
   *
   * @param images - NHWC images as the backbone takes them; sides multiples of 2^maxLevel.
   * @param options - Training mode and seed.
   * @throws EffnetModelError for a bad image shape.
   */
  forward(images: tf.Tensor4D, options: DetectorForwardOptions): DetectorOutputs {
    const pyramid = this.pyramid(images, options);
    const ctx = applyContext({ training: options.training === true, seed: options.seed ?? 0 });
    const batch = images.shape[0];
    const { numClasses } = this.spec;
    return tf.tidy(() => {
      const classes: tf.Tensor[] = [];
      const boxes: tf.Tensor[] = [];
      pyramid.forEach((feature, level) => {
        classes.push(tf.reshape(this.classNet.apply(feature, level, ctx), [batch, -1, numClasses]));
        boxes.push(tf.reshape(this.boxNet.apply(feature, level, ctx), [batch, -1, 4]));
      });
      tf.dispose(pyramid);
      return { classLogits: tf.concat(classes, 1) as tf.Tensor3D, boxDeltas: tf.concat(boxes, 1) as tf.Tensor3D };
    });
  }

  /**
   * Evaluation-mode raw outputs, by default through the fused inference form (see
   * {@link EfficientNet.predict}); equal to `forward(images, { training: false })` within float32 rounding.
   *
   * @param images - NHWC images as the backbone takes them; sides multiples of 2^maxLevel.
   * @param options - `{ fused: false }` to run the modules instead.
   * @throws EffnetModelError for a bad image shape.
   */
  predict(images: tf.Tensor4D, options: PredictOptions = {}): DetectorOutputs {
    if (options.fused === false || !(images instanceof tf.Tensor) || images.rank !== 4 || images.shape[3] !== this.spec.backbone.inChannels) {
      return this.forward(images, { training: false }); // forward names a bad image shape
    }
    const outputs = this.fusedInference.run(images);
    if (!outputs) return this.forward(images, { training: false }); // webgpu, until the weights were read asynchronously
    return { classLogits: outputs[0] as tf.Tensor3D, boxDeltas: outputs[1] as tf.Tensor3D };
  }

  /**
   * Detects objects in 0-255 RGB images: {@link EfficientDet.predict}, then per-level top-k,
   * class-wise NMS and at most `maxDetections` (100) per image.
   *
   * @param pixels - NHWC RGB pixels in 0-255; sides multiples of 2^maxLevel.
   * @param options - Post-processing settings, and `fused: false` to run the modules.
   * @returns Per image, its detections in input pixels, best first.
   */
  async detect(pixels: tf.Tensor4D, options: PostprocessOptions & PredictOptions = {}): Promise<Detection[][]> {
    const { fused, ...postprocess } = options;
    const input = preprocess(pixels, this.spec.backbone);
    let outputs: DetectorOutputs | null = null;
    try {
      outputs = this.predict(input, { fused });
      return await postprocessDetections(outputs.classLogits, outputs.boxDeltas, this.anchors(pixels.shape[1], pixels.shape[2]), postprocess);
    } finally {
      input.dispose();
      if (outputs) tf.dispose([outputs.classLogits, outputs.boxDeltas]);
    }
  }

  /**
   * Anchor targets of a batch: class and encoded box per anchor (see matchAnchors).
   *
   * @param boxes - Per image, its labelled boxes in input pixels.
   * @param height - Input height.
   * @param width - Input width.
   * @returns `classTargets` `[batch, anchors]` int32 and `boxTargets` `[batch, anchors, 4]`.
   */
  targets(boxes: readonly (readonly LabelledBox[])[], height = this.spec.resolution, width = height): { classTargets: tf.Tensor2D; boxTargets: tf.Tensor3D } {
    const anchors = this.anchors(height, width);
    const classes = new Int32Array(boxes.length * anchors.count);
    const encoded = new Float32Array(boxes.length * anchors.count * 4);
    boxes.forEach((image, b) => {
      for (const { classId } of image) {
        if (!Number.isInteger(classId) || classId < 0 || classId >= this.spec.numClasses) {
          throw new EffnetModelError('boxes', `class ids must be integers in 0…${this.spec.numClasses - 1}, got ${classId} in image ${b}`);
        }
      }
      const t = matchAnchors(anchors.boxes, image.flatMap((g) => g.box), image.map((g) => g.classId));
      classes.set(t.classes, b * anchors.count);
      encoded.set(t.boxes, b * anchors.count * 4);
    });
    return { classTargets: tf.tensor2d(classes, [boxes.length, anchors.count], 'int32'), boxTargets: tf.tensor3d(encoded, [boxes.length, anchors.count, 4]) };
  }

  /**
   * The training loss of a batch: forward pass (training mode by default), anchor matching, focal
   * loss + 50 · Huber box loss.
   *
   * @param images - NHWC images as the backbone takes them.
   * @param boxes - Per image, its labelled boxes in input pixels.
   * @param options - Forward options and loss settings.
   * @throws EffnetModelError when the number of box lists differs from the batch.
   */
  loss(images: tf.Tensor4D, boxes: readonly (readonly LabelledBox[])[], options: Partial<DetectorForwardOptions> & DetectionLossOptions = {}): DetectionLoss {
    if (boxes.length !== images.shape[0]) throw new EffnetModelError('boxes', `need one box list per image: ${images.shape[0]} images, ${boxes.length} lists`);
    const { training = true, seed, ...lossOptions } = options;
    return tf.tidy(() => {
      const { classLogits, boxDeltas } = this.forward(images, { training, seed });
      const { classTargets, boxTargets } = this.targets(boxes, images.shape[1], images.shape[2]);
      const { total, classLoss, boxLoss } = detectionLoss(classLogits, boxDeltas, classTargets, boxTargets, lossOptions);
      return { total, classLoss, boxLoss };
    });
  }

  /** Trainable parameter count; equals `cost(spec).params` of @effnet/scaling. */
  countParams(): number {
    return this.store.countTrainable();
  }

  /** The variables the optimiser updates. */
  trainableVariables(): tf.Variable[] {
    return this.store.parameters().flatMap((entry) => (entry.variable ? [entry.variable] : []));
  }

  /** Every variable (weights and BN statistics) by stable name. */
  namedVariables(): Record<string, tf.Variable> {
    return this.store.variables();
  }

  /** Frees every variable and the fused form's kept constants. */
  dispose(): void {
    this.fusedInference.dispose();
    this.store.dispose();
  }
}

/**
 * Builds an EfficientDet from a preset name (`efficientdet-d0` … `efficientdet-d7x`, with
 * overrides such as `numClasses`) or any DetectorSpec (a custom φ or a smaller test network).
 *
 * @param nameOrSpec - Preset name or DetectorSpec.
 * @param options - Preset overrides, seed, shapeOnly.
 * @throws EffnetConfigError (from @effnet/scaling) for an unknown preset; EffnetModelError for a classifier spec.
 */
export function efficientdet(nameOrSpec: string | DetectorSpec, options: EfficientDetOptions = {}): EfficientDet {
  const { seed, shapeOnly, ...overrides } = options;
  const spec = typeof nameOrSpec === 'string' ? detectorPreset(nameOrSpec, overrides) : nameOrSpec;
  return new EfficientDet(spec, { seed, shapeOnly });
}

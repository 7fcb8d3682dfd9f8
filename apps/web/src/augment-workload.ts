// The augmentation workload of the cross-backend check (issue 6, acceptance point 4: same seed,
// same augmented batch on every backend), written once against tfjs-core and @effnet/schedules so
// that Node's tfjs-cpu and Chromium's webgl/webgpu run the same calls: each of the fourteen
// RandAugment operations at magnitude 13 with both signs on a 0-255 batch, randAugment() on 0-255
// and 0-1 batches, mixup(), cutmix(), randomResizedCrop(), randomFlip() and resizeImages(), all
// with fixed seeds. Outputs are read back asynchronously (a synchronous read stalls WebGPU).
import * as tf from '@tensorflow/tfjs-core';
import {
  applyRandAugmentOp, cutmix, mixup, RAND_AUGMENT_OPS, randAugment, randAugmentParameter, randAugmentPlan, randomFlip, randomResizedCrop, resizeImages,
  type RandAugmentOp, type RandAugmentOptions,
} from '@effnet/schedules';

/** Shape of an NHWC batch of bytes. */
export type BatchShape = readonly [number, number, number, number];

/** Every output of {@link augmentationOutputs}, by name, row-major. */
export type AugmentationOutputs = Record<string, Float32Array | Int32Array>;

/**
 * Whether output `name` holds whole 0-255 values (the operations and randAugment on a 0-255
 * batch), which every backend must reproduce exactly; the others (0-1 floats) are held to 1e-5.
 */
export function isByteOutput(name: string): boolean {
  return RAND_AUGMENT_OPS.some((op) => name === `${op}+` || name === `${op}-`) || name.startsWith('randAugmentBytes');
}

/** The RandAugment settings of the workload's randAugment() outputs on 0-255 and on 0-1 batches. */
export const WORKLOAD_RAND_AUGMENT = {
  bytes: { n: 2, magnitude: 12, magnitudeStd: 3, seed: 7, range: '0-255', calls: 2 },
  unit: { n: 2, magnitude: 15, magnitudeStd: 2, seed: 42, range: '0-1', calls: 4 },
} as const satisfies Record<string, RandAugmentOptions & { calls: number }>;

/** Options of {@link augmentationOutputs}. */
export interface AugmentationWorkloadOptions {
  /**
   * Operations to leave out, with every randAugment() draw whose plan uses one (the other draws
   * keep their numbers): for a backend that cannot run them (see the Chromium test on webgpu).
   */
  readonly without?: readonly RandAugmentOp[];
}

/**
 * Runs the augmentation workload on the current backend. `bytes` is an NHWC batch of 0-255
 * values (`shape` [N, H, W, C], C = 1 or 3); the augmented batch is those N images and their
 * upside-down copies (2N images), with one-hot labels over 2N classes. Resolves to every output
 * by name; leaves no tensor behind.
 */
export async function augmentationOutputs(bytes: ArrayLike<number>, shape: BatchShape, options: AugmentationWorkloadOptions = {}): Promise<AugmentationOutputs> {
  const without = new Set<string>(options.without ?? []);
  const uses = (plan: { op: string }[][]) => plan.some((steps) => steps.some((step) => without.has(step.op)));
  const [n, h, w, c] = shape;
  const tensors: Record<string, tf.Tensor> = {};
  try {
    tf.tidy(() => {
      const photos = tf.tensor4d(Float32Array.from(bytes), [n, h, w, c], 'float32');
      const x = tf.concat([photos, tf.reverse(photos, 1)], 0) as tf.Tensor4D;
      const classes = 2 * n;
      const labels = tf.cast(tf.oneHot(tf.range(0, classes, 1, 'int32') as tf.Tensor1D, classes), 'float32') as tf.Tensor2D;
      const keep = (name: string, t: tf.Tensor) => {
        tensors[name] = tf.keep(t);
      };
      for (const op of RAND_AUGMENT_OPS.filter((o) => !without.has(o))) {
        for (const sign of [1, -1] as const) keep(`${op}${sign > 0 ? '+' : '-'}`, applyRandAugmentOp(x, op, randAugmentParameter(op, 13, sign, w, h)));
      }
      const unit = tf.div(x, 255) as tf.Tensor4D;
      for (const [kind, input] of [['bytes', x], ['unit', unit]] as const) {
        const settings = WORKLOAD_RAND_AUGMENT[kind];
        const augment = randAugment(settings);
        for (let call = 0; call < settings.calls; call++) {
          if (!uses(randAugmentPlan(settings, 2 * n, call))) keep(`randAugment${kind === 'bytes' ? 'Bytes' : 'Unit'}${call}`, augment(input, call));
        }
      }
      const mixed = mixup(0.4, { seed: 1 })(unit, labels);
      keep('mixupImages', mixed.images);
      keep('mixupLabels', mixed.labels);
      const cut = cutmix(1, { seed: 1 })(unit, labels);
      keep('cutmixImages', cut.images);
      keep('cutmixLabels', cut.labels);
      keep('randomResizedCrop', randomResizedCrop({ size: 24, seed: 3 })(unit));
      keep('randomFlip', randomFlip({ seed: 3 })(unit));
      keep('resizeImages', resizeImages(unit, [20, 30]));
    });
    const out: AugmentationOutputs = {};
    for (const [name, t] of Object.entries(tensors)) out[name] = (await t.data()) as Float32Array | Int32Array;
    return out;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Per output, the largest |a − b| (Infinity when the lengths differ or an output is missing). */
export function outputDifferences(a: Record<string, ArrayLike<number>>, b: Record<string, ArrayLike<number>>): Record<string, number> {
  const worst: Record<string, number> = {};
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [x, y] = [a[name], b[name]];
    if (x === undefined || y === undefined || x.length !== y.length) {
      worst[name] = Number.POSITIVE_INFINITY;
      continue;
    }
    let d = 0;
    for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
    worst[name] = d;
  }
  return worst;
}

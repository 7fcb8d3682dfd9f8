// What the trainer needs of a model, and nothing about its architecture: the variables the
// optimiser updates and every variable by a stable name (ModelVariables, enough for any task whose
// loss the trainer is given); and for the default loss, a classifier's forward pass that returns
// logits (training mode updates batch-norm statistics and applies dropout and drop path at the
// rates given).
import type * as tf from '@tensorflow/tfjs-core';

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Training mode: batch statistics, dropout and drop path on. */
  training: boolean;
  /** Dropout rate before the classifier (progressive learning changes it per stage). */
  dropout?: number;
  /** Largest drop-path rate (block i of N gets `dropPath · i / N`). */
  dropPath?: number;
  /** Seed of this pass's random masks, so a step can be replayed exactly. */
  seed?: number;
  /** Batch norm on its moving statistics, left unchanged, even in training (fine-tuning with frozen batch norm). */
  frozenBatchNorm?: boolean;
}

/**
 * Any model the trainer can train with a `loss` hook (a detector, a segmenter…): its variables.
 * `@effnet/models`' EfficientNet and EfficientDet satisfy it.
 */
export interface ModelVariables {
  /** The variables the optimiser updates. */
  trainableVariables(): tf.Variable[];
  /** Every variable that defines the model (weights and batch-norm statistics) by stable name. */
  namedVariables(): Record<string, tf.Variable>;
}

/** A classifier the trainer can train with its default cross-entropy loss. `@effnet/models` classifiers satisfy it. */
export interface TrainableModel extends ModelVariables {
  /** Logits `[batch, classes]` for NHWC float images. */
  forward(images: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D;
}

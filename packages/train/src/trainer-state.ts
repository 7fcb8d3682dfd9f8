// A Trainer's state as checkpoint content and back: the model's variables (`model/<name>`), the
// optimiser's slots (`optimizer/<i>`, matched to variables by position as tfjs does) and the EMA's
// averages (`ema/<name>`) with its update count; with a separate classifier learning rate, the
// classifier optimiser's slots (`head-optimizer/<i>`); and the position of the augmentation stream.
import * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom, WeightEma } from '@effnet/schedules';
import type { CheckpointContent, TensorData } from './checkpoint-store.js';
import { EffnetTrainError } from './errors.js';
import type { TrainOptimizer } from './optimizers.js';

/** The parts of a Trainer a checkpoint saves. */
export interface TrainerState {
  /** Every variable of the model by stable name. */
  variables: Record<string, tf.Variable>;
  /** The optimiser. */
  optimizer: TrainOptimizer;
  /** The EMA of the weights, if any. */
  average: WeightEma | null;
  /** The classifier's optimiser when it has its own learning rate. */
  headOptimizer?: TrainOptimizer | null;
  /** The stream the augmentation seeds are drawn from (its position is saved). */
  augmentation?: SeededRandom;
}

async function tensorData(t: tf.Tensor): Promise<TensorData> {
  const values = await t.data();
  return { shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32', values: values as Float32Array | Int32Array };
}

function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/** Reads one optimiser's slots under `prefix` (`optimizer`, `head-optimizer`); returns the slot names. */
async function captureOptimizer(optimizer: TrainOptimizer, prefix: string, tensors: Record<string, TensorData>): Promise<string[]> {
  const weights = await optimizer.optimizer.getWeights();
  for (const [i, { tensor }] of weights.entries()) tensors[`${prefix}/${i}`] = await tensorData(tensor);
  // getWeights returns the live slot variables plus a fresh scalar of the iteration count.
  for (const { tensor } of weights) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  for (const [name, v] of Object.entries(optimizer.hiddenState())) tensors[`${prefix}-state/${name}`] = await tensorData(v);
  return weights.map((w) => w.name);
}

/** Reads weights, optimiser slots and EMA into checkpoint content; refuses non-finite values (a diverged run is never checkpointed). */
export async function captureState({ variables, optimizer, average, headOptimizer, augmentation }: TrainerState, step: number, stage: number, extra: Record<string, unknown> = {}): Promise<CheckpointContent> {
  const tensors: Record<string, TensorData> = {};
  for (const [name, v] of Object.entries(variables)) tensors[`model/${name}`] = await tensorData(v);
  const optimizerSlots = await captureOptimizer(optimizer, 'optimizer', tensors);
  const headOptimizerSlots = headOptimizer ? await captureOptimizer(headOptimizer, 'head-optimizer', tensors) : undefined;
  if (average) for (const [name, v] of average.averages()) tensors[`ema/${name}`] = await tensorData(v);
  for (const [name, data] of Object.entries(tensors)) {
    const at = firstNonFinite(data.values);
    if (at >= 0) {
      throw new EffnetTrainError('loss', `the run diverged: '${name}' is ${data.values[at]} after step ${step}, so no checkpoint was written; lower the learning rate or enable gradient clipping, and resume from the last checkpoint`);
    }
  }
  return {
    step, stage,
    state: {
      ...extra, optimizer: optimizer.kind, optimizerSlots, emaUpdates: average?.updates ?? 0,
      ...(headOptimizerSlots ? { headOptimizerSlots } : {}),
      ...(augmentation ? { augmentationState: augmentation.getState() } : {}),
    },
    tensors,
  };
}

/** Checks every tensor the restore will read (present, right shape, finite) before any is made, so a bad checkpoint changes nothing and leaks nothing. */
function checkCheckpoint({ variables, optimizer, average, headOptimizer }: TrainerState, checkpoint: CheckpointContent, location: string): void {
  const fail = (message: string): never => {
    throw new EffnetTrainError('resume', `${location} ${message}; resume from another checkpoint or start the run afresh`);
  };
  const saved = checkpoint.state['optimizer'];
  if (saved !== undefined && saved !== optimizer.kind) {
    throw new EffnetTrainError('optimizer', `the checkpoint in ${location} was trained with ${String(saved)}, this run uses ${optimizer.kind}: resume with the same optimizer`);
  }
  const missing = Object.keys(variables).filter((name) => !checkpoint.tensors[`model/${name}`]);
  if (missing.length > 0) fail(`lacks ${missing.length} model variables: ${missing.slice(0, 5).join(', ')}`);
  const slotNames = checkpoint.state['optimizerSlots'] ?? [];
  if (!Array.isArray(slotNames) || !slotNames.every((n) => typeof n === 'string')) fail('has no list of optimizer slot names');
  const headSlots = checkpoint.state['headOptimizerSlots'];
  if (Boolean(headOptimizer) !== Array.isArray(headSlots)) {
    fail(headOptimizer ? 'was trained without a separate classifier learning rate (head LR): resume without it' : 'was trained with a separate classifier learning rate (head LR): resume with it');
  }
  const needed: [string, number[] | null][] = Object.entries(variables).map(([name, v]) => [`model/${name}`, v.shape]);
  (slotNames as string[]).forEach((_, i) => needed.push([`optimizer/${i}`, null]));
  if (Array.isArray(headSlots)) headSlots.forEach((_, i) => needed.push([`head-optimizer/${i}`, null]));
  if (average) for (const [name, v] of Object.entries(variables)) if (checkpoint.tensors[`ema/${name}`]) needed.push([`ema/${name}`, v.shape]);
  for (const name of Object.keys(optimizer.hiddenState())) if (checkpoint.tensors[`optimizer-state/${name}`]) needed.push([`optimizer-state/${name}`, []]);
  for (const [name, shape] of needed) {
    const data = checkpoint.tensors[name];
    if (!data) fail(`lacks the tensor '${name}'`);
    if (shape && data!.shape.join(',') !== shape.join(',')) fail(`has '${name}' of shape [${data!.shape.join(', ')}], the model needs [${shape.join(', ')}]`);
    const at = firstNonFinite(data!.values);
    if (at >= 0) fail(`holds ${data!.values[at]} in '${name}' (a diverged run)`);
  }
}

const asTensor = (data: TensorData) => tf.tensor(data.values, data.shape, data.dtype);

/** Puts one optimiser's slots (and hidden state) back from under `prefix`. */
async function restoreOptimizer(optimizer: TrainOptimizer, prefix: string, slotNames: string[], checkpoint: CheckpointContent): Promise<void> {
  if (slotNames.length > 0) {
    const restored = slotNames.map((name, i) => ({ name, tensor: asTensor(checkpoint.tensors[`${prefix}/${i}`]!) }));
    try {
      await optimizer.optimizer.setWeights(restored);
    } finally {
      tf.dispose(restored.map((r) => r.tensor));
    }
  }
  // After setWeights, which recomputes them from the iteration count.
  tf.tidy(() => {
    for (const [name, v] of Object.entries(optimizer.hiddenState())) {
      const data = checkpoint.tensors[`${prefix}-state/${name}`];
      if (data) v.assign(asTensor(data));
    }
  });
}

/**
 * Puts checkpoint content back into the model, the optimiser and the EMA.
 *
 * @throws EffnetTrainError when the checkpoint lacks a tensor, has one of the wrong shape or a
 * non-finite value, or was written by another optimiser; nothing is changed then.
 */
export async function restoreState(target: TrainerState, checkpoint: CheckpointContent, location: string): Promise<void> {
  checkCheckpoint(target, checkpoint, location);
  const { variables, optimizer, average, headOptimizer, augmentation } = target;
  tf.tidy(() => {
    for (const [name, v] of Object.entries(variables)) v.assign(asTensor(checkpoint.tensors[`model/${name}`]!));
  });
  await restoreOptimizer(optimizer, 'optimizer', (checkpoint.state['optimizerSlots'] ?? []) as string[], checkpoint);
  if (headOptimizer) await restoreOptimizer(headOptimizer, 'head-optimizer', checkpoint.state['headOptimizerSlots'] as string[], checkpoint);
  const augmentationState = checkpoint.state['augmentationState'];
  if (augmentation && typeof augmentationState === 'number') augmentation.setState(augmentationState);
  if (average) {
    const values: Record<string, tf.Tensor> = {};
    for (const name of Object.keys(variables)) {
      const data = checkpoint.tensors[`ema/${name}`];
      if (data) values[name] = asTensor(data);
    }
    try {
      average.restore(Number(checkpoint.state['emaUpdates'] ?? 0), values);
    } finally {
      tf.dispose(Object.values(values));
    }
  }
}

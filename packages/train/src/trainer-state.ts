// A Trainer's state as checkpoint content and back: the model's variables (`model/<name>`), the
// optimiser's slots (`optimizer/<i>`, matched to variables by position as tfjs does) and the EMA's
// averages (`ema/<name>`) with its update count.
import * as tf from '@tensorflow/tfjs-core';
import type { WeightEma } from '@effnet/schedules';
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
}

async function tensorData(t: tf.Tensor): Promise<TensorData> {
  const values = await t.data();
  return { shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32', values: values as Float32Array | Int32Array };
}

/** Reads weights, optimiser slots and EMA into checkpoint content. */
export async function captureState({ variables, optimizer, average }: TrainerState, step: number, stage: number): Promise<CheckpointContent> {
  const tensors: Record<string, TensorData> = {};
  for (const [name, v] of Object.entries(variables)) tensors[`model/${name}`] = await tensorData(v);
  const optimizerWeights = await optimizer.optimizer.getWeights();
  for (const [i, { tensor }] of optimizerWeights.entries()) tensors[`optimizer/${i}`] = await tensorData(tensor);
  // getWeights returns the live slot variables plus a fresh scalar of the iteration count.
  for (const { tensor } of optimizerWeights) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  if (average) for (const [name, v] of average.averages()) tensors[`ema/${name}`] = await tensorData(v);
  return { step, stage, state: { optimizerSlots: optimizerWeights.map((w) => w.name), emaUpdates: average?.updates ?? 0 }, tensors };
}

/**
 * Puts checkpoint content back into the model, the optimiser and the EMA.
 *
 * @throws EffnetTrainError when the checkpoint lacks a variable of the model.
 */
export async function restoreState({ variables, optimizer, average }: TrainerState, checkpoint: CheckpointContent, location: string): Promise<void> {
  const asTensor = (data: TensorData) => tf.tensor(data.values, data.shape, data.dtype);
  const missing = Object.keys(variables).filter((name) => !checkpoint.tensors[`model/${name}`]);
  if (missing.length > 0) throw new EffnetTrainError('resume', `${location} lacks ${missing.length} model variables: ${missing.slice(0, 5).join(', ')}…`);
  tf.tidy(() => {
    for (const [name, v] of Object.entries(variables)) v.assign(asTensor(checkpoint.tensors[`model/${name}`]!));
  });
  const slotNames = (checkpoint.state['optimizerSlots'] ?? []) as string[];
  if (slotNames.length > 0) {
    const restored = slotNames.map((name, i) => ({ name, tensor: asTensor(checkpoint.tensors[`optimizer/${i}`]!) }));
    await optimizer.optimizer.setWeights(restored);
    tf.dispose(restored.map((r) => r.tensor));
  }
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

// Optimisers of the recipes, by name: SGD with momentum (Nesterov optional), RMSProp as in the
// EfficientNet recipes (decay 0.9, momentum 0.9, ε 1e-3) and AdamW (Adam with decoupled weight
// decay). The learning rate changes every step; tfjs keeps it in different places per optimiser.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetTrainError } from './errors.js';

/** Which optimiser and its hyper-parameters. */
export type OptimizerConfig =
  | { kind: 'sgd'; momentum?: number; nesterov?: boolean }
  | { kind: 'rmsprop'; decay?: number; momentum?: number; epsilon?: number }
  | { kind: 'adamw'; beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number };

/** An optimiser with a per-step learning rate and AdamW's decoupled decay. */
export interface TrainOptimizer {
  /** The tfjs optimiser. */
  readonly optimizer: tf.Optimizer;
  /** Sets the learning rate used by the next `apply`. */
  setLearningRate(lr: number): void;
  /** Applies gradients (and AdamW's decay) to the variables. */
  apply(grads: tf.NamedTensorMap, variables: tf.Variable[]): void;
  /** Frees the optimiser's slots and scalars. */
  dispose(): void;
  /** Which optimiser this is (checkpoints record it so a resume cannot switch optimisers). */
  readonly kind: OptimizerConfig['kind'];
  /**
   * State tfjs's getWeights() leaves out, by name: Adam's running β powers. tfjs's setWeights
   * recomputes them as β^(t+1), which differs in float32 from the live product β·β·…, so a
   * checkpoint stores the live values to resume bit for bit.
   */
  hiddenState(): Record<string, tf.Variable>;
}

/** tfjs's optimisers take gradients as a list of named tensors. */
function asList(grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}

/** Creates the optimiser named by `config`. */
export function createOptimizer(config: OptimizerConfig): TrainOptimizer {
  let lr = 0;
  switch (config.kind) {
    case 'sgd': {
      const optimizer = tf.train.momentum(0, config.momentum ?? 0.9, config.nesterov ?? false);
      return {
        optimizer,
        kind: 'sgd',
        hiddenState: () => ({}),
        setLearningRate: (value) => {
          if (value !== lr) optimizer.setLearningRate(value);
          lr = value;
        },
        apply: (grads) => optimizer.applyGradients(asList(grads)),
        dispose: () => {
          optimizer.dispose();
          // tfjs's MomentumOptimizer.dispose forgets the learning-rate scalar of its SGD parent.
          (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
        },
      };
    }
    case 'rmsprop': {
      const optimizer = tf.train.rmsprop(1, config.decay ?? 0.9, config.momentum ?? 0.9, config.epsilon ?? 1e-3);
      return {
        optimizer,
        kind: 'rmsprop',
        hiddenState: () => ({}),
        setLearningRate: (value) => {
          (optimizer as unknown as { learningRate: number }).learningRate = value;
        },
        apply: (grads) => optimizer.applyGradients(asList(grads)),
        dispose: () => optimizer.dispose(),
      };
    }
    case 'adamw': {
      const optimizer = tf.train.adam(1, config.beta1 ?? 0.9, config.beta2 ?? 0.999, config.epsilon ?? 1e-8);
      const decay = config.weightDecay ?? 0.01;
      return {
        optimizer,
        kind: 'adamw',
        hiddenState: (): Record<string, tf.Variable> => {
          // Created by tfjs with the optimiser; guarded in case a version makes them lazily.
          const { accBeta1, accBeta2 } = optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
          return accBeta1 && accBeta2 ? { accBeta1, accBeta2 } : {};
        },
        setLearningRate: (value) => {
          lr = value;
          (optimizer as unknown as { learningRate: number }).learningRate = value;
        },
        apply: (grads, variables) => {
          // Decoupled decay: w ← w − lr·λ·w, before the Adam step, only on decayed weights.
          if (decay > 0) {
            tf.tidy(() => {
              for (const v of variables) if (grads[v.name] && v.shape.length > 1) v.assign(tf.mul(v, 1 - lr * decay));
            });
          }
          optimizer.applyGradients(asList(grads));
        },
        dispose: () => optimizer.dispose(),
      };
    }
    default:
      throw new EffnetTrainError('optimizer', `unknown optimizer '${(config as { kind: string }).kind}'; use 'sgd', 'rmsprop' or 'adamw'`);
  }
}

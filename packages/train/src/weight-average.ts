// Exponential moving average of a model's weights (EfficientNetV2 trains with EMA decay 0.9999),
// with the usual warm-up decay min(decay, (1 + t) / (10 + t)) so early averages are not stuck at
// the initial weights. `swapIn` puts the averages into the model for evaluation; `swapOut` restores.
import * as tf from '@tensorflow/tfjs-core';

/** Keeps a shadow copy of every variable and averages it after each step. */
export class WeightAverage {
  private readonly shadows = new Map<string, tf.Variable>();
  private backups: Map<string, tf.Tensor> | null = null;
  private updates = 0;

  /** Starts the averages at the current values of `variables` (by name). */
  constructor(
    private readonly variables: Record<string, tf.Variable>,
    private readonly decay: number,
    private readonly warmup = true,
  ) {
    tf.tidy(() => {
      for (const [name, v] of Object.entries(variables)) this.shadows.set(name, tf.variable(v.clone(), false, `ema/${name}/${v.id}`));
    });
  }

  /** The decay used by the next update. */
  currentDecay(): number {
    return this.warmup ? Math.min(this.decay, (1 + this.updates) / (10 + this.updates)) : this.decay;
  }

  /** shadow ← d·shadow + (1 − d)·value for every variable. */
  update(): void {
    const d = this.currentDecay();
    tf.tidy(() => {
      for (const [name, v] of Object.entries(this.variables)) {
        const shadow = this.shadows.get(name)!;
        shadow.assign(tf.add(tf.mul(shadow, d), tf.mul(v, 1 - d)));
      }
    });
    this.updates += 1;
  }

  /** Puts the averaged weights into the model (keeps the live ones aside). */
  swapIn(): void {
    if (this.backups) return;
    this.backups = new Map();
    for (const [name, v] of Object.entries(this.variables)) {
      this.backups.set(name, v.clone());
      v.assign(this.shadows.get(name)!);
    }
  }

  /** Restores the live weights after `swapIn`. */
  swapOut(): void {
    if (!this.backups) return;
    for (const [name, v] of Object.entries(this.variables)) {
      const backup = this.backups.get(name)!;
      v.assign(backup);
      backup.dispose();
    }
    this.backups = null;
  }

  /** The averages and the update count, for checkpoints. */
  state(): { updates: number; shadows: Record<string, tf.Variable> } {
    return { updates: this.updates, shadows: Object.fromEntries(this.shadows) };
  }

  /** Restores what `state` returned (values by name, copied). */
  restore(updates: number, values: Record<string, tf.Tensor>): void {
    this.updates = updates;
    for (const [name, shadow] of this.shadows) {
      const value = values[name];
      if (value) shadow.assign(value);
    }
  }

  /** Frees the averages. */
  dispose(): void {
    this.swapOut();
    for (const shadow of this.shadows.values()) shadow.dispose();
    this.shadows.clear();
  }
}

// Test helper (not published): gives every batch norm of a model random statistics and affine
// parameters (seeded), so that folding and exports are checked on values that are not 0 and 1.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '@effnet/blocks';

/** Sets γ, β, moving mean and moving variance of every BN in `store` from a seeded generator. */
export function randomiseBatchNorms(store: ParamStore, seed = 1): void {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (const entry of store.list()) {
    if (!entry.variable || !/\.(gamma|beta|movingMean|movingVariance)$/.test(entry.name)) continue;
    const n = entry.shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: n }, () => {
      const u = next();
      if (entry.name.endsWith('gamma')) return 0.5 + u;
      if (entry.name.endsWith('movingVariance')) return 0.5 + u;
      return (u - 0.5) * 0.4;
    });
    tf.tidy(() => entry.variable!.assign(tf.tensor(values, [...entry.shape])));
  }
}

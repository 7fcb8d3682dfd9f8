// What a checkpoint holds and where it goes. The Trainer never touches a file: it hands a
// checkpoint's content to a CheckpointStore. `fileCheckpointStore(dir)` of `@effnet/train/node`
// writes crash-safe folders in Node; `memoryCheckpointStore()` keeps them in memory (tests, or a
// browser app that persists them itself, e.g. to IndexedDB).

/** A named tensor as plain data: what checkpoints store. */
export interface TensorData {
  /** Shape. */
  shape: number[];
  /** Data type. */
  dtype: 'float32' | 'int32';
  /** Values in row-major order. */
  values: Float32Array | Int32Array;
}

/** Everything one checkpoint holds. */
export interface CheckpointContent {
  /** Optimiser steps taken so far. */
  step: number;
  /** Progressive-learning stage in force. */
  stage: number;
  /** Any JSON state of the caller (RNG state, data order, metrics so far…). */
  state: Record<string, unknown>;
  /** Named tensors: weights, optimiser slots, EMA, BN statistics. */
  tensors: Record<string, TensorData>;
}

/** Where a Trainer's checkpoints are kept. */
export interface CheckpointStore {
  /** Writes `content` as the newest checkpoint (all or nothing), keeps the newest `keep`; returns where it went. */
  save(content: CheckpointContent, keep: number): Promise<string>;
  /** The newest complete checkpoint, or undefined when there is none. */
  latest(): Promise<{ location: string; content: CheckpointContent } | undefined>;
}

/** A store that keeps checkpoints in memory (copies, so later training does not change them). */
export function memoryCheckpointStore(): CheckpointStore & { readonly saved: readonly CheckpointContent[] } {
  const saved: CheckpointContent[] = [];
  const copy = (content: CheckpointContent): CheckpointContent => ({
    ...content,
    state: structuredClone(content.state),
    tensors: Object.fromEntries(Object.entries(content.tensors).map(([name, t]) => [name, { ...t, shape: [...t.shape], values: t.values.slice() }])),
  });
  return {
    saved,
    async save(content, keep) {
      saved.push(copy(content));
      saved.splice(0, Math.max(0, saved.length - keep));
      return `memory:step-${content.step}`;
    },
    async latest() {
      const last = saved.at(-1);
      return last ? { location: `memory:step-${last.step}`, content: copy(last) } : undefined;
    },
  };
}

// A @effnet/train CheckpointStore in IndexedDB (idb-keyval): each checkpoint is one record (typed
// arrays are stored as they are), written in one transaction, so a reload never sees half of one.
// The newest `keep` of a run are kept.
import { createStore, del, get, keys, set } from 'idb-keyval';
import type { CheckpointContent, CheckpointStore } from '@effnet/train';

const checkpoints = createStore('effnet-playground-checkpoints', 'checkpoints');

/** Checkpoints of the run `run`, kept in this browser's IndexedDB. */
export function indexedDbCheckpointStore(run: string): CheckpointStore {
  const prefix = `${run}/step-`;
  const stepsSaved = async () => (await keys(checkpoints)).map(String).filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length))).sort((a, b) => a - b);
  return {
    async save(content: CheckpointContent, keep: number) {
      const key = `${prefix}${content.step}`;
      await set(key, content, checkpoints);
      const steps = await stepsSaved();
      for (const step of steps.slice(0, Math.max(0, steps.length - keep))) await del(`${prefix}${step}`, checkpoints);
      return `indexeddb:${key}`;
    },
    async latest() {
      const step = (await stepsSaved()).at(-1);
      if (step === undefined) return undefined;
      const content = await get<CheckpointContent>(`${prefix}${step}`, checkpoints);
      return content ? { location: `indexeddb:${prefix}${step}`, content } : undefined;
    },
  };
}

// Where a search keeps its settings and its results, one result appended per candidate, so a
// killed search resumes where it was: in memory here, in files in `@effnet/search/node`.
import { EffnetSearchError } from './errors.js';

/** A search's settings and results, appended one at a time. */
export interface SearchStore<R> {
  /** The settings the search was started with, or undefined for a new store. */
  readSettings(): Promise<unknown>;
  /** Records the settings (once, when the search starts). */
  writeSettings(settings: unknown): Promise<void>;
  /** Every result appended so far, in order. */
  readResults(): Promise<R[]>;
  /** Appends one result (atomically: a kill leaves the store with or without it, never half of it). */
  append(result: R): Promise<void>;
}

/** A store in memory (tests, browsers); `results` and `settings` are its contents. */
export function memorySearchStore<R>(): SearchStore<R> & { results: R[]; settings: unknown } {
  const store = {
    results: [] as R[],
    settings: undefined as unknown,
    readSettings: async () => store.settings,
    writeSettings: async (settings: unknown) => {
      store.settings = structuredClone(settings);
    },
    readResults: async () => structuredClone(store.results),
    append: async (result: R) => {
      store.results.push(structuredClone(result));
    },
  };
  return store;
}

/**
 * Opens `store` for a search with `settings`: a new store records them; a used one must hold the
 * same settings. Returns the results so far.
 *
 * @throws EffnetSearchError naming the first setting that differs.
 */
export async function openStore<R>(store: SearchStore<R>, settings: Record<string, unknown>): Promise<R[]> {
  const saved = await store.readSettings();
  if (saved === undefined) {
    await store.writeSettings(settings);
    return [];
  }
  const old = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(old), ...Object.keys(settings)])) {
    if (JSON.stringify(old[key]) !== JSON.stringify(settings[key])) {
      throw new EffnetSearchError('resume', `the stored search has ${key} = ${JSON.stringify(old[key])}, this one ${JSON.stringify(settings[key])}: resume with the same settings, or start a new search in another store`);
    }
  }
  return store.readResults();
}

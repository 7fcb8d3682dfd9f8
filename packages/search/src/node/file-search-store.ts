// A search store in a folder: `search.json` (the settings) and `results.jsonl` (one result per
// line). Every write replaces the whole file atomically (write-file-atomic: temporary file, fsync,
// rename), so a search killed mid-write keeps every result it had; the files stay small (one line
// per trained candidate).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { EffnetSearchError } from '../errors.js';
import type { SearchStore } from '../search-store.js';

/** The files of a search folder. */
export const SEARCH_FILES = { settings: 'search.json', results: 'results.jsonl' } as const;

function readJsonLines<R>(path: string): R[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as R;
    } catch {
      throw new EffnetSearchError(path, `line ${i + 1} is not JSON: the file was edited or damaged; delete that line or start a new search`);
    }
  });
}

/**
 * A search store in folder `dir` (created on the first write).
 *
 * @example
 * const report = await architectureSearch({ ..., store: fileSearchStore('runs/search') });
 */
export function fileSearchStore<R>(dir: string): SearchStore<R> {
  const settingsPath = join(dir, SEARCH_FILES.settings);
  const resultsPath = join(dir, SEARCH_FILES.results);
  return {
    async readSettings() {
      if (!existsSync(settingsPath)) return undefined;
      try {
        return JSON.parse(readFileSync(settingsPath, 'utf8')) as unknown;
      } catch (error) {
        throw new EffnetSearchError(settingsPath, `cannot be read (${(error as Error).message}): start a new search in another folder`);
      }
    },
    async writeSettings(settings) {
      mkdirSync(dir, { recursive: true });
      await writeFileAtomic(settingsPath, `${JSON.stringify(settings, null, 2)}\n`);
    },
    async readResults() {
      return readJsonLines<R>(resultsPath);
    },
    async append(result) {
      mkdirSync(dir, { recursive: true });
      const before = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
      await writeFileAtomic(resultsPath, `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${JSON.stringify(result)}\n`);
    },
  };
}

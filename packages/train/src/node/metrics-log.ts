// metrics.jsonl: one JSON object per line, appended as training goes, so a crashed run keeps
// everything up to its last step and a report can be drawn from the file alone (Node only:
// `@effnet/train/node`; the record types are in the main entry).
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { EffnetDataError } from '../errors.js';
import type { MetricsRecord } from '../metrics-records.js';

/** Appends records to a metrics.jsonl file (created with its folder if missing). */
export class MetricsLog {
  /**
   * Opens (or creates) the log at `path`. A torn last line (a crash mid-write) is cut off, so the
   * records appended next start on a line of their own.
   */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      const text = readFileSync(path);
      if (text.length > 0 && text[text.length - 1] !== 0x0a) truncateSync(path, text.lastIndexOf(0x0a) + 1);
    }
  }

  /** Appends one record as one line. */
  write(record: MetricsRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}

/** Reads every record of a metrics.jsonl file; a torn last line (a crash mid-write) is ignored. */
export function readMetrics(path: string): MetricsRecord[] {
  if (!existsSync(path)) throw new EffnetDataError(path, 'no metrics file: was the run started with this folder?');
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.flatMap((line, i) => {
    try {
      return [JSON.parse(line) as MetricsRecord];
    } catch {
      if (i === lines.length - 1) return [];
      throw new EffnetDataError(path, `line ${i + 1} is not JSON`);
    }
  });
}

// How commands print: aligned tables for people, JSON for programs, and byte counts in units.
import Table from 'cli-table3';

/** Renders rows as a borderless table: text left-aligned, numbers right-aligned (the first column always left). */
export function renderTable(head: string[], rows: (string | number)[][], align: ('left' | 'right')[] = head.map((_, i) => (i === 0 ? 'left' : 'right'))): string {
  const table = new Table({
    head,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '', top: '', 'top-mid': '', 'top-left': '',
      'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '',
      right: '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: align,
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

/** 5288548 → "5.29M"; 390000000 → "390.00M". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

/** Bytes in binary units: 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Writes a value as indented JSON with a trailing newline. */
export function printJson(value: unknown, write: (text: string) => void): void {
  write(`${JSON.stringify(value, null, 2)}\n`);
}

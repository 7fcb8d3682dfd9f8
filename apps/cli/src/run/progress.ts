// Progress bars for every long step of the CLI (training, evaluation, prediction, benchmarks), drawn
// with cli-progress on standard error so that `--json` output on standard output stays clean.
// Without a terminal (CI, pipes) the bar is printed as a plain line every few seconds instead.
import cliProgress from 'cli-progress';

/** One progress bar: a label, a total and free-form values shown beside it. */
export interface ProgressBar {
  /** Moves the bar to `value` and updates the shown values. */
  update(value: number, values?: Record<string, string | number>): void;
  /** Ends the bar (leaves its last state on screen). */
  stop(): void;
}

/** Makes progress bars; {@link silentProgress} for tests and `--quiet`. */
export interface Progress {
  /**
   * Starts a bar for `total` units of `label`, e.g. `progress.bar('train', 900, 'steps')`; `extra`
   * is a cli-progress format with `{name}` tokens filled from `values` (initially `start.values`).
   */
  bar(label: string, total: number, unit: string, extra?: string, start?: { value: number; values: Record<string, string | number> }): ProgressBar;
}

/** Progress bars on standard error. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return {
    bar(label, total, unit, extra = '', start = { value: 0, values: {} }) {
      const bar = new cliProgress.SingleBar(
        {
          format: `${label.padEnd(12)} {bar} {percentage}% | {value}/{total} ${unit} | {duration_formatted} elapsed, eta {eta_formatted}${extra ? ` | ${extra}` : ''}`,
          stream,
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 5000,
          etaBuffer: 50,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      // Tokens of `extra` show '-' until their first value arrives.
      const blanks = Object.fromEntries([...extra.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, '-']));
      bar.start(total, start.value, { ...blanks, ...start.values });
      return {
        update: (value, values = {}) => bar.update(value, values),
        stop: () => bar.stop(),
      };
    },
  };
}

/** Progress that shows nothing. */
export const silentProgress: Progress = {
  bar: () => ({ update: () => undefined, stop: () => undefined }),
};

// Where the CLI's commands write: its own module, so program.ts and commands/*.ts import it
// without importing each other.

/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error. */
  err: (text: string) => void;
}

/** The process's standard output and error. */
export const PROCESS_IO: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

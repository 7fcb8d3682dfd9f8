// The `effnet` command line: one commander program, one file per command under commands/.
import { Command, CommanderError } from 'commander';
import { EffnetBackendError } from '@effnet/backends';
import { EffnetConfigError } from '@effnet/scaling';
import { EffnetConfigError as EffnetScheduleError } from '@effnet/schedules';
import { EffnetDataError, EffnetTrainError } from '@effnet/train';
import { backendsCommand } from './commands/backends.js';
import { detectCommand } from './commands/detect.js';
import { infoCommand } from './commands/info.js';
import { listCommand } from './commands/list.js';
import { planCommand } from './commands/plan.js';

/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error. */
  err: (text: string) => void;
}

const PROCESS_IO: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Builds the `effnet` program with every command. */
export function createProgram(io: Io = PROCESS_IO): Command {
  const program = new Command('effnet')
    .description('EfficientNet, EfficientNetV2 and EfficientDet for TensorFlow.js')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  program.addCommand(listCommand(io));
  program.addCommand(infoCommand(io));
  program.addCommand(planCommand(io));
  program.addCommand(backendsCommand(io));
  program.addCommand(detectCommand(io));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return program;
}

/** Runs the program on `argv` (as in process.argv) and returns the exit code. */
export async function main(argv: string[], io: Io = PROCESS_IO): Promise<number> {
  try {
    await createProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof EffnetConfigError || error instanceof EffnetScheduleError || error instanceof EffnetBackendError || error instanceof EffnetDataError || error instanceof EffnetTrainError) {
      io.err(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

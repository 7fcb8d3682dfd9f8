// The `effnet` command line: one commander program, one file per command under commands/.
import { Command, CommanderError } from 'commander';
import { EffnetError } from '@effnet/scaling';
import { backendsCommand } from './commands/backends.js';
import { detectCommand } from './commands/detect.js';
import { benchCommand } from './commands/bench.js';
import { evalCommand } from './commands/eval.js';
import { importCommand } from './commands/import.js';
import { exportCommand } from './commands/export.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';
import { infoCommand } from './commands/info.js';
import { listCommand } from './commands/list.js';
import { planCommand } from './commands/plan.js';
import { searchCommand } from './commands/search.js';
import { errorLine } from './error-line.js';
import { PROCESS_IO, type Io } from './io.js';

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
  program.addCommand(trainCommand(io));
  program.addCommand(searchCommand(io));
  program.addCommand(evalCommand(io));
  program.addCommand(predictCommand(io));
  program.addCommand(importCommand(io));
  program.addCommand(exportCommand(io));
  program.addCommand(benchCommand(io));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return program;
}

/** Runs the program on `argv` (as in process.argv) and returns the exit code: 0, 1 for usage, 2 for any failure (told in one line), 130 for Ctrl-C. */
export async function main(argv: string[], io: Io = PROCESS_IO): Promise<number> {
  try {
    await createProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    // One line, whatever the underlying library wrote (sharp's messages can span lines).
    io.err(`error: ${errorLine(error)}\n`);
    if (process.env['EFFNET_DEBUG'] && error instanceof Error && !(error instanceof EffnetError)) io.err(`${error.stack}\n`);
    return 2;
  }
}

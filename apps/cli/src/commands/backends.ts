// `effnet backends`: every runtime effnet knows, whether it can run here, and why not.
import { Command } from 'commander';
import { listBackends } from '@effnet/backends';
import type { Io } from '../io.js';
import { printJson, renderTable } from '../output.js';
import '../register-backends.js';

/** Builds the `backends` command. */
export function backendsCommand(io: Io): Command {
  return new Command('backends')
    .description('list the TensorFlow.js backends, fastest first, with availability here')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const rows = await listBackends();
      if (options.json) return printJson(rows, io.out);
      const table = renderTable(
        ['backend', 'platform', 'available', 'why not'],
        rows.map((row) => [row.name, row.platform, row.available ? 'yes' : 'no', row.reason ?? '']),
        ['left', 'left', 'left', 'left'],
      );
      io.out(`${table}\n`);
    });
}

// `effnet list`: every preset with its family, resolution and exact parameter count.
import { Command } from 'commander';
import { cost, preset, presetNames } from '@effnet/scaling';
import type { Io } from '../io.js';
import { formatCount, printJson, renderTable } from '../output.js';

/** One row of `effnet list`. */
export interface PresetRow {
  /** Preset name. */
  name: string;
  /** `efficientnet`, `efficientnetv2` or `efficientdet`. */
  family: string;
  /** Train and eval image size. */
  resolution: { train: number; eval: number };
  /** Exact parameter count. */
  params: number;
  /** Multiply-adds at the eval size. */
  macs: number;
}

/** Summarises every preset. */
export function presetRows(): PresetRow[] {
  return presetNames().map((name) => {
    const spec = preset(name);
    const resolution = spec.family === 'efficientdet' ? { train: spec.resolution, eval: spec.resolution } : spec.resolution;
    const { params, macs } = cost(spec, { resolution: resolution.eval });
    return { name, family: spec.family, resolution, params, macs };
  });
}

/** Builds the `list` command. */
export function listCommand(io: Io): Command {
  return new Command('list')
    .description('list every preset with its resolution, parameters and multiply-adds')
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) => {
      const rows = presetRows();
      if (options.json) return printJson(rows, io.out);
      const table = renderTable(
        ['preset', 'family', 'train', 'eval', 'params', 'MACs'],
        rows.map((row) => [row.name, row.family, row.resolution.train, row.resolution.eval, formatCount(row.params), formatCount(row.macs)]),
      );
      io.out(`${table}\n`);
    });
}

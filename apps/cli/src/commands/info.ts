// `effnet info <preset>`: what a network is made of, part by part — blocks, channels, output
// size, exact parameters, multiply-adds and the activation memory training keeps — with totals.
import { Command } from 'commander';
import { cost, preset, type CostReport, type DetectorSpec, type ModelSpec } from '@effnet/scaling';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { formatBytes, formatCount, printJson, renderTable } from '../output.js';

/** One row of the `info` table. */
export interface InfoRow {
  /** Part name from the cost model: `stem`, `stage 0`…, `head`, `classifier`, detector parts. */
  name: string;
  /** Blocks in the part (0 for stem, head and detector parts). */
  blocks: number;
  /** Block type of a stage (`mbconv`, `fused-mbconv`, `ds`), empty otherwise. */
  kind: string;
  /** Output shape for one image: channels, height, width. */
  outShape: number[];
  /** Exact trainable parameters. */
  params: number;
  /** Conv + linear multiply-adds for the batch. */
  macs: number;
  /** fp32 bytes kept for the backward pass. */
  trainingBytes: number;
}

/** The whole `info` report of a preset. */
export interface InfoReport {
  /** Preset name. */
  name: string;
  /** Input size the figures are for. */
  resolution: number;
  /** Batch size the figures are for. */
  batch: number;
  /** One row per part, in network order. */
  rows: InfoRow[];
  /** Totals over the network. */
  total: { params: number; macs: number; inferenceBytes: number; trainingBytes: number };
}

function backboneOf(spec: ModelSpec | DetectorSpec): ModelSpec {
  return spec.family === 'efficientdet' ? spec.backbone : spec;
}

/** Computes the `info` report of a preset at a resolution (default: its eval size). */
export function infoReport(name: string, options: { resolution?: number; batch?: number } = {}): InfoReport {
  const spec = preset(name);
  const report: CostReport = cost(spec, { ...(options.resolution ? { resolution: options.resolution } : {}), batch: options.batch ?? 1 });
  const blocks = backboneOf(spec).blocks;
  const rows = report.perStage.map((part): InfoRow => {
    const stage = /^stage (\d+)$/.exec(part.name);
    const members = stage ? blocks.filter((block) => block.stage === Number(stage[1])) : [];
    return {
      name: part.name,
      blocks: members.length,
      kind: members[0]?.kind ?? '',
      outShape: [...part.outShape],
      params: part.params,
      macs: part.macs,
      trainingBytes: part.trainingBytes,
    };
  });
  return {
    name,
    resolution: report.resolution,
    batch: report.batch,
    rows,
    total: {
      params: report.params,
      macs: report.macs,
      inferenceBytes: report.activations.inference,
      trainingBytes: report.activations.training,
    },
  };
}

/** Builds the `info` command. */
export function infoCommand(io: Io): Command {
  return new Command('info')
    .description('per-stage blocks, channels, parameters, multiply-adds and activation memory of a preset')
    .argument('<preset>', 'a preset name, e.g. efficientnet-b0 (see `effnet list`)')
    .option('--resolution <pixels>', 'square input size (default: the preset’s eval size)', positiveInteger)
    .option('--batch <images>', 'images per batch for MACs and memory', positiveInteger, 1)
    .option('--json', 'print JSON instead of a table')
    .action((name: string, options: { resolution?: number; batch: number; json?: boolean }) => {
      const report = infoReport(name, { resolution: options.resolution, batch: options.batch });
      if (options.json) return printJson(report, io.out);
      const table = renderTable(
        ['part', 'kind', 'blocks', 'output (C×H×W)', 'params', 'MACs', 'train memory'],
        [
          ...report.rows.map((row) => [
            row.name,
            row.kind,
            row.blocks || '',
            row.outShape.join('×'),
            formatCount(row.params),
            formatCount(row.macs),
            formatBytes(row.trainingBytes),
          ]),
          ['total', '', report.rows.reduce((n, row) => n + row.blocks, 0), '', formatCount(report.total.params), formatCount(report.total.macs), formatBytes(report.total.trainingBytes)],
        ],
      );
      io.out(`${report.name} at ${report.resolution}×${report.resolution}, batch ${report.batch}: ${report.total.params.toLocaleString('en-US')} parameters, ` +
        `${formatCount(report.total.macs)} multiply-adds, inference activations peak ${formatBytes(report.total.inferenceBytes)}\n${table}\n`);
    });
}

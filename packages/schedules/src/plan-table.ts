// A plan as an aligned text table, for READMEs and `effnet plan`.
import type { ProgressivePlan } from './progressive.js';

const round = (x: number, digits: number) => String(Number(x.toFixed(digits)));

/** Renders a plan: one row per stage with its range, image size and regularisers. */
export function formatPlanTable(plan: ProgressivePlan): string {
  const unit = plan.unit === 'step' ? 'steps' : 'epochs';
  const head = ['stage', unit, 'size', 'dropout', 'drop path', 'RandAugment', 'mixup', 'cutmix'];
  const rows = plan.stages.map((s) => [
    String(s.index + 1),
    `${s.start}-${s.start + s.length - 1}`,
    String(s.imageSize),
    round(s.dropout, 3),
    round(s.dropPath, 3),
    round(s.randAugmentMagnitude, 2),
    round(s.mixupAlpha, 3),
    round(s.cutmixAlpha, 3),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

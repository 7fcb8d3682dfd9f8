// Ctrl-C during a long run (train, detect train, search): the first SIGINT logs what happens next
// and asks the run to stop after its current step; the run then writes its checkpoint and ends with
// exit code 130. Also what every resumable run does on --resume: continue from the checkpoint, say
// where, and drop the metrics.jsonl records written after it (the steps it will train again).
import { existsSync } from 'node:fs';
import type { MetricsRecord } from '@effnet/train';
import { readMetrics } from '@effnet/train/node';
import writeFileAtomic from 'write-file-atomic';

/**
 * Listens for the first Ctrl-C: logs `message` and calls `stop` once. Returns the function that
 * stops listening (safe to call more than once). With `enabled` false (tests that send no
 * signal), listens to nothing.
 */
export function onFirstCtrlC(enabled: boolean, message: string, log: (line: string) => void, stop: () => void): () => void {
  if (!enabled) return () => undefined;
  let pressed = false;
  const listener = (): void => {
    if (pressed) return;
    pressed = true;
    log(`\nCtrl-C: ${message}`);
    stop();
  };
  process.on('SIGINT', listener);
  return () => {
    process.off('SIGINT', listener);
  };
}

/** Whether a metrics record belongs to the run up to `step` (a stage not finished by then starts again). */
function upTo(record: MetricsRecord, step: number): boolean {
  return record.type === 'stage' ? record.startStep + record.steps <= step : record.step <= step;
}

/**
 * Resumes `trainer` from its last checkpoint, logs where it continues (or that there was none), and
 * rewrites `metricsPath` without the records after that step, so no step is logged twice.
 *
 * @returns The step it continues from (0 without a checkpoint).
 */
export async function resumeAndLog(trainer: { resume(): Promise<number | undefined> }, where: { checkpointDir: string; totalSteps: number; metricsPath: string }, log: (line: string) => void): Promise<number> {
  const step = await trainer.resume();
  log(step === undefined ? `no checkpoint in ${where.checkpointDir}: starting from step 0` : `resumed from step ${step} of ${where.totalSteps}`);
  if (existsSync(where.metricsPath)) {
    const records = readMetrics(where.metricsPath);
    const kept = records.filter((r) => upTo(r, step ?? 0));
    if (kept.length < records.length) writeFileAtomic.sync(where.metricsPath, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
  return step ?? 0;
}

// Plans for the Trainer's tests, written as (steps, image size, dropout) rows and completed to
// @effnet/schedules' StepStage (other regularisers 0).
import type { TrainStage } from '../src/trainer-options.js';

/** Consecutive stages from step 0, one per `[steps, imageSize, dropout?]` row. */
export function stages(...rows: [steps: number, imageSize: number, dropout?: number][]): TrainStage[] {
  let startStep = 0;
  return rows.map(([steps, imageSize, dropout = 0], index) => {
    const stage = { index, startStep, steps, imageSize, dropout, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 };
    startStep += steps;
    return stage;
  });
}

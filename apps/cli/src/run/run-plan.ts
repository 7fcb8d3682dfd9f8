// The progressive plan of a training run (EfficientNetV2, Algorithm 1): `stages` stages over the
// run's steps, image size and dropout interpolated from the first stage to the last.
import { progressiveStages, toStepStages, type StageSettings } from '@effnet/schedules';
import type { TrainStage } from '@effnet/train';
import type { TrainRunOptions } from './train-run-options.js';

/** The plan of a run: `stages` stages over the total steps, size and dropout interpolated. */
export function runPlan(options: Pick<TrainRunOptions, 'stages' | 'fromSize' | 'toSize' | 'dropout'>, totalSteps: number, finalSize: number): TrainStage[] {
  const toSize = options.toSize ?? finalSize;
  const fromSize = options.stages === 1 ? toSize : (options.fromSize ?? Math.max(8, Math.round(toSize / 2)));
  const from: StageSettings = { imageSize: fromSize, dropout: options.stages === 1 ? options.dropout[1] : options.dropout[0] };
  const to: StageSettings = { imageSize: toSize, dropout: options.dropout[1] };
  const plan = progressiveStages({ stages: options.stages, totalSteps, from, to, sizeMultiple: 2 });
  return toStepStages(plan);
}

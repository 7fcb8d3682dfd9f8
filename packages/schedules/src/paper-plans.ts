// The ImageNet progressive plans of the EfficientNetV2 paper (Table 6 / spec/training.md): four
// stages over 350 epochs, image size and each regulariser from the first to the last stage.
import { progressiveStages, type ProgressivePlan, type StageSettings } from './progressive.js';
import { EffnetScheduleError } from './errors.js';

/** The two ends of a plan. */
export interface PlanEnds {
  /** Settings of the first stage. */
  from: StageSettings;
  /** Settings of the last stage. */
  to: StageSettings;
}

/** The ends of the paper's plans, by model. */
export const PAPER_PLANS: Readonly<Record<'efficientnetv2-s' | 'efficientnetv2-m' | 'efficientnetv2-l', PlanEnds>> = {
  'efficientnetv2-s': { from: { imageSize: 128, randAugmentMagnitude: 5, mixupAlpha: 0, dropout: 0.1 }, to: { imageSize: 300, randAugmentMagnitude: 15, mixupAlpha: 0, dropout: 0.3 } },
  'efficientnetv2-m': { from: { imageSize: 128, randAugmentMagnitude: 5, mixupAlpha: 0, dropout: 0.1 }, to: { imageSize: 380, randAugmentMagnitude: 20, mixupAlpha: 0.2, dropout: 0.4 } },
  'efficientnetv2-l': { from: { imageSize: 128, randAugmentMagnitude: 5, mixupAlpha: 0, dropout: 0.1 }, to: { imageSize: 380, randAugmentMagnitude: 25, mixupAlpha: 0.4, dropout: 0.5 } },
};

/** The paper's 4-stage, 350-epoch ImageNet plan of a V2 model (`efficientnetv2-s`, `-m` or `-l`). */
export function paperPlan(model: string, options: { stages?: number; totalEpochs?: number } = {}): ProgressivePlan {
  const ends = PAPER_PLANS[model as keyof typeof PAPER_PLANS];
  if (!ends) throw new EffnetScheduleError('model', `no paper plan for '${model}'; known: ${Object.keys(PAPER_PLANS).join(', ')}`);
  return progressiveStages({ stages: options.stages ?? 4, totalEpochs: options.totalEpochs ?? 350, ...ends });
}

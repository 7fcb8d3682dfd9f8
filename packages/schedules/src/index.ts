// @effnet/schedules: the public surface.
export { progressiveStages, stageAt, toStepStages } from './progressive.js';
export type { ProgressiveOptions, ProgressivePlan, ProgressiveStage, StageSettings, StepStage } from './progressive.js';
export { paperPlan, PAPER_PLANS } from './paper-plans.js';
export { formatPlanTable } from './plan-table.js';
export { constantLr, cosineLr, exponentialLr, stepLr, warmup, sequenceLr, type LrSchedule } from './lr-schedules.js';
export { EffnetConfigError } from './errors.js';

// Learning-rate schedules as pure functions of the step, composable: linear warm-up, cosine decay
// with a floor, exponential decay (the EfficientNet recipe: ×0.97 every 2.4 epochs), step decay and
// constant. Use with a tfjs optimiser by setting its rate before each step (SGD/momentum:
// `optimizer.setLearningRate(lr)`; Adam/RMSProp: `optimizer.learningRate = lr`), as
// @effnet/train's Trainer does.
import { EffnetScheduleError } from './errors.js';

/** A learning rate as a function of the 0-based optimiser step. */
export type LrSchedule = (step: number) => number;

function positive(field: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new EffnetScheduleError(field, `must be a finite number ${allowZero ? '≥' : '>'} 0, got ${value}`);
  }
  return value;
}

/** The same rate at every step. */
export function constantLr(lr: number): LrSchedule {
  positive('lr', lr, true);
  return () => lr;
}

/** Cosine decay from `base` to `floor` over `steps`, then `floor`. */
export function cosineLr(options: { base: number; steps: number; floor?: number }): LrSchedule {
  const { base, steps, floor = 0 } = options;
  positive('base', base);
  positive('steps', steps);
  positive('floor', floor, true);
  return (step) => (step >= steps ? floor : floor + (base - floor) * 0.5 * (1 + Math.cos((Math.PI * step) / steps)));
}

/** `base · rate^⌊step / every⌋` (staircase) or `base · rate^(step / every)`. */
export function exponentialLr(options: { base: number; rate: number; every: number; staircase?: boolean }): LrSchedule {
  const { base, rate, every, staircase = true } = options;
  positive('base', base);
  positive('every', every);
  if (!(rate > 0 && rate <= 1)) throw new EffnetScheduleError('rate', `must be in (0, 1], got ${rate}`);
  return (step) => base * rate ** (staircase ? Math.floor(step / every) : step / every);
}

/** `base` multiplied by `factor` at each boundary step passed. */
export function stepLr(options: { base: number; boundaries: number[]; factor: number }): LrSchedule {
  const { base, boundaries, factor } = options;
  positive('base', base);
  positive('factor', factor);
  if (boundaries.some((b, i) => !(b > (boundaries[i - 1] ?? 0) || (i === 0 && b > 0)))) {
    throw new EffnetScheduleError('boundaries', `must be increasing positive steps, got [${boundaries.join(', ')}]`);
  }
  return (step) => base * factor ** boundaries.filter((b) => step >= b).length;
}

/** Ramps linearly from `from` (default 0) to `then(steps)` over `steps`, then follows `then` shifted by `steps`. */
export function warmup(then: LrSchedule, options: { steps: number; from?: number }): LrSchedule {
  const { steps, from = 0 } = options;
  positive('steps', steps, true);
  return (step) => (step < steps ? from + ((then(0) - from) * (step + 1)) / steps : then(step - steps));
}

/** Runs schedules one after another, each for its `steps` (the last one forever), each from its own step 0. */
export function sequenceLr(parts: { steps: number; schedule: LrSchedule }[]): LrSchedule {
  if (parts.length === 0) throw new EffnetScheduleError('parts', 'needs at least one schedule');
  parts.forEach((part, i) => positive(`parts[${i}].steps`, part.steps));
  return (step) => {
    let start = 0;
    for (const [i, part] of parts.entries()) {
      if (step < start + part.steps || i === parts.length - 1) return part.schedule(step - start);
      start += part.steps;
    }
    return parts.at(-1)!.schedule(step - start);
  };
}

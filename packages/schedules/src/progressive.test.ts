import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EffnetScheduleError } from './errors.js';
import { paperPlan } from './paper-plans.js';
import { formatPlanTable } from './plan-table.js';
import { progressiveStages, stageAt, toStepStages } from './progressive.js';

const pick = (plan: ReturnType<typeof paperPlan>, key: 'imageSize' | 'randAugmentMagnitude' | 'mixupAlpha' | 'dropout') =>
  plan.stages.map((s) => Number(s[key].toFixed(4)));

describe('the paper’s ImageNet plans (EfficientNetV2, 4 stages, 350 epochs)', () => {
  it('V2-S: 128 → 300, RandAugment 5 → 15, no Mixup, dropout 0.1 → 0.3', () => {
    const plan = paperPlan('efficientnetv2-s');
    expect(plan.unit).toBe('epoch');
    expect(plan.stages.map((s) => [s.start, s.length])).toEqual([[0, 88], [88, 88], [176, 87], [263, 87]]);
    expect(pick(plan, 'imageSize')).toEqual([128, 184, 240, 300]);
    expect(pick(plan, 'randAugmentMagnitude')).toEqual([5, 8.3333, 11.6667, 15]);
    expect(pick(plan, 'mixupAlpha')).toEqual([0, 0, 0, 0]);
    expect(pick(plan, 'dropout')).toEqual([0.1, 0.1667, 0.2333, 0.3]);
  });

  it('V2-M: 128 → 380, RandAugment 5 → 20, Mixup 0 → 0.2, dropout 0.1 → 0.4', () => {
    const plan = paperPlan('efficientnetv2-m');
    expect(pick(plan, 'imageSize')).toEqual([128, 216, 296, 380]);
    expect(pick(plan, 'randAugmentMagnitude')).toEqual([5, 10, 15, 20]);
    expect(pick(plan, 'mixupAlpha')).toEqual([0, 0.0667, 0.1333, 0.2]);
    expect(pick(plan, 'dropout')).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('V2-L: 128 → 380, RandAugment 5 → 25, Mixup 0 → 0.4, dropout 0.1 → 0.5', () => {
    const plan = paperPlan('efficientnetv2-l');
    expect(pick(plan, 'imageSize')).toEqual([128, 216, 296, 380]);
    expect(pick(plan, 'randAugmentMagnitude')).toEqual([5, 11.6667, 18.3333, 25]);
    expect(pick(plan, 'mixupAlpha')).toEqual([0, 0.1333, 0.2667, 0.4]);
    expect(pick(plan, 'dropout')).toEqual([0.1, 0.2333, 0.3667, 0.5]);
  });

  it('prints as a table', () => {
    expect(formatPlanTable(paperPlan('efficientnetv2-s'))).toBe(
      [
        'stage  epochs   size  dropout  drop path  RandAugment  mixup  cutmix',
        '1      0-87      128      0.1          0            5      0       0',
        '2      88-175    184    0.167          0         8.33      0       0',
        '3      176-262   240    0.233          0        11.67      0       0',
        '4      263-349   300      0.3          0           15      0       0',
      ].join('\n'),
    );
  });

  it('rejects unknown models, naming the known ones', () => {
    expect(() => paperPlan('efficientnetv2-xs')).toThrow(/known: efficientnetv2-s, efficientnetv2-m, efficientnetv2-l/);
  });
});

describe('progressiveStages', () => {
  it('M = 1 is the fixed-size baseline at the final size and regularisation', () => {
    const plan = progressiveStages({ stages: 1, totalSteps: 1000, from: { imageSize: 128, dropout: 0.1 }, to: { imageSize: 300, dropout: 0.3 } });
    expect(plan.stages).toEqual([{ index: 0, start: 0, length: 1000, imageSize: 300, dropout: 0.3, dropPath: 0, randAugmentMagnitude: 0, mixupAlpha: 0, cutmixAlpha: 0 }]);
  });

  it('converts epochs to optimiser steps and answers which stage holds at a step', () => {
    const plan = progressiveStages({ stages: 3, totalEpochs: 7, from: { imageSize: 16 }, to: { imageSize: 28, dropout: 0.2 } });
    expect(plan.stages.map((s) => s.length)).toEqual([3, 2, 2]);
    const steps = toStepStages(plan, 10);
    expect(steps.map((s) => [s.startStep, s.steps, s.imageSize])).toEqual([[0, 30, 16], [30, 20, 24], [50, 20, 28]]);
    expect(stageAt(plan, 0).index).toBe(0);
    expect(stageAt(plan, 2.99).index).toBe(0);
    expect(stageAt(plan, 3).index).toBe(1);
    expect(stageAt(plan, 6).index).toBe(2);
    expect(stageAt(plan, 99).index).toBe(2);
  });

  it('rejects invalid plans with EffnetScheduleError naming the field', () => {
    const ok = { stages: 3, totalSteps: 30, from: { imageSize: 16 }, to: { imageSize: 28 } };
    const cases: [object, RegExp][] = [
      [{ ...ok, stages: 0 }, /^stages: must be an integer ≥ 1, got 0/],
      [{ ...ok, stages: 2.5 }, /^stages:/],
      [{ ...ok, totalSteps: 2 }, /^totalSteps: must be an integer ≥ 3/],
      [{ ...ok, totalEpochs: 10 }, /give exactly one of totalSteps and totalEpochs/],
      [{ ...ok, from: { imageSize: 0 } }, /^from.imageSize: must be an integer ≥ 1/],
      [{ ...ok, to: { imageSize: -28 } }, /^to.imageSize:/],
      [{ ...ok, from: { imageSize: 32 } }, /from.imageSize: 32 is larger than to.imageSize 28/],
      [{ ...ok, from: { imageSize: 16, dropout: 0.5 }, to: { imageSize: 28, dropout: 0.1 } }, /from.dropout: 0.5 is larger than to.dropout 0.1/],
      [{ ...ok, to: { imageSize: 28, dropout: Number.NaN } }, /^to.dropout: must be in \[0, 1\)/],
      [{ ...ok, to: { imageSize: 28, dropPath: 1 } }, /^to.dropPath:/],
      [{ ...ok, to: { imageSize: 28, randAugmentMagnitude: 31 } }, /^to.randAugmentMagnitude: must be in \[0, 30\]/],
      [{ ...ok, to: { imageSize: 28, mixupAlpha: Number.POSITIVE_INFINITY } }, /^to.mixupAlpha:/],
      [{ ...ok, sizeMultiple: 0 }, /^sizeMultiple:/],
    ];
    for (const [options, message] of cases) {
      expect(() => progressiveStages(options as never)).toThrow(EffnetScheduleError);
      expect(() => progressiveStages(options as never)).toThrow(message);
    }
  });

  it('holds its invariants over 1,000 random plans', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 0, max: 512 }),
        fc.array(fc.double({ min: 0, max: 0.99, noNaN: true }), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 1, max: 32 }),
        (m, extra, s0, grow, regs, multiple) => {
          const [d0, d1, r0, r1, p0, p1, x0, x1, c0, c1] = regs as number[] as [number, number, number, number, number, number, number, number, number, number];
          const from = {
            imageSize: s0, dropout: Math.min(d0, d1), randAugmentMagnitude: Math.min(r0, r1) * 30,
            dropPath: Math.min(p0, p1), mixupAlpha: Math.min(x0, x1), cutmixAlpha: Math.min(c0, c1) * 2,
          };
          const to = {
            imageSize: s0 + grow, dropout: Math.max(d0, d1), randAugmentMagnitude: Math.max(r0, r1) * 30,
            dropPath: Math.max(p0, p1), mixupAlpha: Math.max(x0, x1), cutmixAlpha: Math.max(c0, c1) * 2,
          };
          const total = m + extra;
          const plan = progressiveStages({ stages: m, totalSteps: total, from, to, sizeMultiple: multiple });
          const { stages } = plan;
          expect(stages).toHaveLength(m);
          expect(stages.reduce((n, s) => n + s.length, 0)).toBe(total);
          expect(Math.max(...stages.map((s) => s.length)) - Math.min(...stages.map((s) => s.length))).toBeLessThanOrEqual(1);
          stages.forEach((s, i) => {
            expect(s.start).toBe(i === 0 ? 0 : stages[i - 1]!.start + stages[i - 1]!.length);
            const t = m === 1 ? 1 : i / (m - 1);
            for (const key of ['dropout', 'randAugmentMagnitude', 'dropPath', 'mixupAlpha', 'cutmixAlpha'] as const) {
              expect(s[key]).toBeCloseTo(from[key] + (to[key] - from[key]) * t, 12);
              if (i > 0) expect(s[key]).toBeGreaterThanOrEqual(stages[i - 1]![key]);
            }
            expect(s.imageSize).toBeGreaterThanOrEqual(from.imageSize);
            expect(s.imageSize).toBeLessThanOrEqual(to.imageSize);
            if (i > 0) expect(s.imageSize).toBeGreaterThanOrEqual(stages[i - 1]!.imageSize);
            if (i > 0 && i < m - 1) expect(s.imageSize % multiple === 0 || s.imageSize === from.imageSize || s.imageSize === to.imageSize).toBe(true);
            for (const position of [s.start, s.start + s.length - 1]) expect(stageAt(plan, position).index).toBe(i);
          });
          expect(stages.at(-1)!.imageSize).toBe(to.imageSize);
          expect(stages.at(-1)!.dropout).toBeCloseTo(to.dropout, 12);
          if (m > 1) {
            expect(stages[0]!.imageSize).toBe(from.imageSize);
            expect(stages[0]!.dropout).toBe(from.dropout);
          }
          checked += 1;
        },
      ),
      { numRuns: 1000, seed: 20261125 },
    );
    expect(checked).toBe(1000);
  });
});

import { describe, expect, it } from 'vitest';
import {
  COSINE_LABEL,
  drawnSteps,
  ONECYCLE_BETA_LABEL,
  ONECYCLE_LABEL,
  runSteps,
  scheduleCurves,
} from '../../src/app/train/schedule-curves.ts';
import { parseSchedules, SCHEDULE_TEXTS } from '../../src/optimizers/index.ts';

const parsed = (text: string) => {
  const { schedules } = parseSchedules(text, ['lr', 'beta1']);
  if (!schedules) throw new Error('does not parse');
  return schedules;
};
const run = { lr: 0.01, epochs: 2, bs: 64, subset: 500, every: 'batch' } as const;
const ys = (c: { points: readonly { y: number }[] } | undefined) => c?.points.map((p) => p.y) ?? [];

describe('the schedule preview’s curves', () => {
  it('span the run’s steps: epochs × ceil(images / bs)', () => {
    expect(runSteps(run)).toEqual({ batches: 8, total: 16 });
    expect(runSteps({ ...run, subset: null, bs: 1024 })).toEqual({ batches: 59, total: 118 });
  });

  it('the cosine formula lies on PyTorch’s CosineAnnealingLR; 1cycle’s β₁ is drawn beside OneCycleLR’s', () => {
    const cos = scheduleCurves({ ...run, schedules: parsed(SCHEDULE_TEXTS.cosine) });
    expect(cos.map((c) => c.label)).toEqual(['your schedule: lr', COSINE_LABEL, ONECYCLE_LABEL]);
    expect(cos[0]?.points).toHaveLength(16);
    ys(cos[0]).forEach((y, i) => {
      expect(y).toBeCloseTo(ys(cos[1])[i] ?? NaN, 15);
    });
    expect(ys(cos[0])[8]).toBeCloseTo(0.005, 15);
    const one = scheduleCurves({ ...run, schedules: parsed(SCHEDULE_TEXTS['one-cycle']) });
    expect(one.map((c) => c.label)).toEqual([
      'your schedule: lr',
      'your schedule: β₁',
      COSINE_LABEL,
      ONECYCLE_LABEL,
      ONECYCLE_BETA_LABEL,
    ]);
    expect(ys(one[1])[0]).toBe(0.95);
    ys(one[1]).forEach((y, i) => {
      expect(y).toBeCloseTo(ys(one[4])[i] ?? NaN, 12);
    });
  });

  it('a schedule per epoch holds each epoch’s value over its batches', () => {
    const c = scheduleCurves({ ...run, every: 'epoch', schedules: parsed(SCHEDULE_TEXTS.cosine) });
    expect(ys(c[0])).toEqual([...Array<number>(8).fill(0.01), ...Array<number>(8).fill(0.005)]);
  });

  it('without a schedule that parses, only PyTorch’s curves are drawn', () => {
    expect(scheduleCurves({ ...run, schedules: null }).map((c) => c.own)).toEqual([false, false]);
  });

  it('draws at most 400 points of a long run, its first and last steps among them', () => {
    const steps = drawnSteps(47_000);
    expect(steps).toHaveLength(400);
    expect([steps[0], steps.at(-1)]).toEqual([0, 46_999]);
    expect(drawnSteps(3)).toEqual([0, 1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/optimizers/index.ts';
import {
  cosineAnnealing,
  cosineHypers,
  epochOf,
  formulaHypers,
  hypersAt,
  lrFinderHypers,
  oneCycle,
  oneCycleHypers,
  parseSchedules,
  toSchedule,
} from '../../src/optimizers/index.ts';

const at = (step: number, stepsPerEpoch = 10, epochs = 3): Progress => ({
  step,
  stepsPerEpoch,
  epochs,
});
const steps = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('hypersAt: the values a step uses', () => {
  const base = { lr: 0.01, beta1: 0.9, eps: 1e-5 };
  it('takes each scheduled hyperparameter from its schedule, the others from the base', () => {
    expect(hypersAt(base, { lr: (p) => p.step / 100 }, at(7))).toEqual({
      lr: 0.07,
      beta1: 0.9,
      eps: 1e-5,
    });
  });
  it('ignores a schedule for a hyperparameter the rule does not have (1cycle’s β₁ for sgd)', () => {
    expect(hypersAt({ lr: 0.1 }, oneCycleHypers(0.1), at(0))).toEqual({
      lr: oneCycle({ maxLr: 0.1, totalSteps: 30 }).lr(0),
    });
  });
  it('depends on the step alone, not on the steps asked before', () => {
    const s = oneCycleHypers(0.01);
    const fresh = hypersAt(base, oneCycleHypers(0.01), at(17));
    for (const step of [0, 29, 3, 17, 5]) hypersAt(base, s, at(step));
    expect(hypersAt(base, s, at(17))).toEqual(fresh);
  });
  it('counts epochs from the step', () => {
    expect([0, 9, 10, 29].map((s) => epochOf(at(s)))).toEqual([0, 0, 1, 2]);
    expect(epochOf(at(3, 0, 0))).toBe(0);
  });
});

describe('the schedules of a fit, as functions of progress', () => {
  it('1cycle gives OneCycleLR’s lr and β₁ over the whole fit, for any fit size', () => {
    const s = oneCycleHypers(0.02);
    for (const [perEpoch, epochs] of [
      [10, 3],
      [7, 2],
    ] as const) {
      const ref = oneCycle({ maxLr: 0.02, totalSteps: perEpoch * epochs });
      for (const step of steps(perEpoch * epochs)) {
        expect(s.lr?.(at(step, perEpoch, epochs))).toBe(ref.lr(step));
        expect(s.beta1?.(at(step, perEpoch, epochs))).toBe(ref.beta1(step));
      }
    }
  });
  it('cosine anneals the given lr over the whole fit', () => {
    const ref = cosineAnnealing({ baseLr: 0.05, tMax: 30 });
    const s = cosineHypers(0.05);
    for (const step of steps(30)) expect(s.lr?.(at(step))).toBe(ref(step));
  });
  it('a formula per batch reads the step; per epoch, the epoch (one value through each epoch)', () => {
    const { schedules } = parseSchedules('lr = lr * (1 - pct)\nbeta1 = 0.9 + step/1000', [
      'lr',
      'beta1',
    ]);
    if (!schedules) throw new Error('does not parse');
    const batch = formulaHypers(schedules, 0.1, 'batch');
    const epoch = formulaHypers(schedules, 0.1, 'epoch');
    const perBatch = toSchedule(schedules, 'beta1', { total: 30, lr: 0.1 });
    const perEpoch = toSchedule(schedules, 'lr', { total: 3, lr: 0.1 });
    for (const step of steps(30)) {
      expect(batch.beta1?.(at(step))).toBe(perBatch(step));
      expect(epoch.lr?.(at(step))).toBe(perEpoch(Math.floor(step / 10)));
    }
    expect(epoch.lr?.(at(10))).toBeCloseTo(0.1 * (2 / 3), 15);
  });
  it('lr_find multiplies by γ once per step, the same product in any order of asking', () => {
    let lr = 1e-5;
    const want = steps(40).map(() => {
      const v = lr;
      lr *= 1.3;
      return v;
    });
    const asked = lrFinderHypers(1e-5, 1.3);
    expect(asked.lr?.(at(39))).toBe(want[39]);
    expect(steps(40).map((s) => asked.lr?.(at(s)))).toEqual(want);
    expect(want[2]).not.toBe(1e-5 * 1.3 ** 2); // a product step by step, not a power
  });
});

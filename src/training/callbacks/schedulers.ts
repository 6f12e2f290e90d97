import type { Schedule, ScheduleSet } from '../../optimizers/index.ts';
import { cosineAnnealing, oneCycle, toSchedule } from '../../optimizers/index.ts';
import type { Callback, Learner } from '../learner.ts';

export type Schedules = Partial<Record<string, Schedule>>;

const apply = (l: Learner, scheds: Schedules, step: number): void => {
  const group = l.opt?.groups[0];
  if (!group) return;
  for (const [k, s] of Object.entries(scheds)) if (s && k in group.hyper) group.hyper[k] = s(step);
};

/**
 * miniai's BatchSchedCB: before each training batch, set each hyperparameter to its schedule
 * at the step about to be taken (PyTorch sets the step-0 value at construction, then steps
 * after each batch: the same values).
 */
export const batchScheduler = (make: (l: Learner) => Schedules): Callback => {
  let scheds: Schedules = {};
  return {
    name: 'batchScheduler',
    beforeFit(l) {
      scheds = make(l);
      apply(l, scheds, l.trainStep);
    },
    beforeBatch(l) {
      if (l.training) apply(l, scheds, l.trainStep);
    },
  };
};

/** miniai's EpochSchedCB: one schedule step per training epoch. */
export const epochScheduler = (make: (l: Learner) => Schedules): Callback => {
  let scheds: Schedules = {};
  return {
    name: 'epochScheduler',
    beforeFit(l) {
      scheds = make(l);
    },
    beforeEpoch(l) {
      if (l.training) apply(l, scheds, l.epoch);
    },
  };
};

/** 1cycle over the whole fit (OneCycleLR defaults): lr and β₁/momentum. */
export const oneCycleScheduler = (maxLr: number): Callback =>
  batchScheduler((l) => {
    const s = oneCycle({ maxLr, totalSteps: l.nEpochs * l.dls.train.length });
    return { lr: s.lr, beta1: s.beta1 };
  });

/** Cosine annealing from the fit's lr to 0 over the whole fit, per batch. */
export const cosineScheduler = (): Callback =>
  batchScheduler((l) => ({
    lr: cosineAnnealing({
      baseLr: l.opt?.groups[0]?.hyper.lr ?? l.lr,
      tMax: l.nEpochs * l.dls.train.length,
    }),
  }));

/**
 * Schedules typed as formulas of training progress (docs/rules.md), per batch (`total` = the
 * fit's batches, `step` the batch) or per epoch (`total` = the fit's epochs), from the user's lr.
 */
export const formulaScheduler = (
  set: ScheduleSet,
  lr: number,
  every: 'batch' | 'epoch',
): Callback => {
  const make = (l: Learner): Schedules => {
    const total = every === 'batch' ? l.nEpochs * l.dls.train.length : l.nEpochs;
    return Object.fromEntries(set.targets.map((t) => [t, toSchedule(set, t, { total, lr })]));
  };
  return every === 'batch' ? batchScheduler(make) : epochScheduler(make);
};

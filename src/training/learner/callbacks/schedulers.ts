import type { HyperSchedules } from '../../../optimizers/index.ts';
import { hypersAt, oneCycleHypers } from '../../../optimizers/index.ts';
import type { Callback, Learner } from '../learner.ts';

/**
 * miniai's BatchSchedCB, for every hyperparameter at once: before the fit and before each
 * training batch, sets the optimizer's values (`setHypers`) to `hypersAt` the step about to be
 * taken: each scheduled hyperparameter from its schedule, the others from the learner's own
 * values (lr, the rule's defaults, the user's overrides). Nothing else writes them during a fit,
 * and nothing carries over from one step to the next, so a resumed fit (which starts at a later
 * step) gets the values of an uninterrupted one. PyTorch sets the step-0 value at construction,
 * then steps after each batch: the same values.
 */
export const hyperScheduler = (schedules: HyperSchedules): Callback => {
  const apply = (l: Learner): void => {
    l.opt?.setHypers(hypersAt(l.baseHypers, schedules, l.progress));
  };
  return {
    name: 'hyperScheduler',
    setsHypers: true,
    beforeFit: apply,
    beforeBatch(l) {
      if (l.training) apply(l);
    },
  };
};

/** 1cycle over the whole fit (OneCycleLR defaults): lr and β₁/momentum. */
export const oneCycleScheduler = (maxLr: number): Callback => hyperScheduler(oneCycleHypers(maxLr));

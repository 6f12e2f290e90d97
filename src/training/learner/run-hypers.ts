import type { HyperSchedules } from '../../optimizers/index.ts';
import {
  cosineHypers,
  formulaHypers,
  oneCycleHypers,
  parseSchedules,
} from '../../optimizers/index.ts';
import type { TrainConfig } from '../run/config.ts';
import { ruleOf } from '../run/config.ts';
import type { LearnerOptions } from './learner.ts';

/** A run's hyperparameters, read from its config here and nowhere else. */
export interface RunHypers {
  /**
   * The learner's update rule and its values where no schedule says otherwise: lr, the rule's
   * defaults, the user's overrides (`Learner.baseHypers`).
   */
  readonly options: Pick<LearnerOptions, 'lr' | 'opt' | 'rule' | 'hyper'>;
  /** How they change over the run: `hyperScheduler(schedules)` applies them before each step. */
  readonly schedules: HyperSchedules;
}

/**
 * The run's hyperparameters: `sched` (1cycle to lr, cosine from lr, constant) or, instead, the
 * user's schedule formulas, which may schedule lr and the rule's own hyperparameters.
 */
export const runHypers = (c: TrainConfig): RunHypers => {
  const entry = ruleOf(c);
  const options = {
    lr: c.lr,
    opt: c.opt,
    ...(c.rule ? { rule: entry } : {}),
    hyper: c.hyper ?? {},
  };
  if (c.schedFormula) {
    const targets = ['lr', ...Object.keys(entry.defaults)];
    const { schedules, errors } = parseSchedules(c.schedFormula, targets);
    if (!schedules) throw new Error(`the schedule does not parse: ${errors[0]?.message ?? ''}`);
    return { options, schedules: formulaHypers(schedules, c.lr, c.schedEvery ?? 'batch') };
  }
  const schedules =
    c.sched === 'onecycle' ? oneCycleHypers(c.lr) : c.sched === 'cosine' ? cosineHypers(c.lr) : {};
  return { options, schedules };
};

import type { UpdateRule, WeightDecay } from './rule.ts';
import { decayedParam, regularisedGrad } from './rule.ts';

export interface SgdOptions {
  readonly weightDecay?: WeightDecay;
}

/**
 * Stochastic gradient descent: `p ← p − g·lr`. The workbook's `basic` tab, miniai's `SGD`.
 * With weight decay (`weightDecay` hyperparameter) decoupled: `p ← p·(1 − lr·wd) − g·lr`.
 */
export const sgd = (opts: SgdOptions = {}): UpdateRule<never, 'weightDecay'> => {
  const decay = opts.weightDecay ?? 'none';
  return {
    name: 'sgd',
    slots: [],
    hypers: decay === 'none' ? [] : ['weightDecay'],
    initState: () => ({}),
    nextState: () => ({}),
    nextParam: (o, { param, grad, hyper }) => {
      const wd = decay === 'none' ? undefined : hyper.weightDecay;
      const g = regularisedGrad(o, decay, grad, param, wd);
      return o.sub(decayedParam(o, decay, param, hyper.lr, wd), o.mul(g, hyper.lr));
    },
  };
};

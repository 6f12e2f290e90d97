import type { UpdateRule, WeightDecay } from './rule.ts';
import { zeros } from './init-state.ts';
import { decayedParam, ema, regularisedGrad } from './rule.ts';

export interface MomentumOptions {
  readonly weightDecay?: WeightDecay;
}

const SLOTS = ['avg'] as const;

/**
 * Momentum as an exponential moving average of the gradient (the workbook's `momentum` tab,
 * miniai's `Momentum`):
 *   avg ← avg·β₁ + (1−β₁)·g
 *   p   ← p − avg·lr
 * `beta1` is the momentum (0.9). Note PyTorch's `SGD(momentum=…)` omits the `(1−β₁)` damping.
 */
export const momentum = (
  opts: MomentumOptions = {},
): UpdateRule<'avg', 'beta1' | 'weightDecay'> => {
  const decay = opts.weightDecay ?? 'none';
  const wdOf = <T>(h: Readonly<Record<'weightDecay', T>>): T | undefined =>
    decay === 'none' ? undefined : h.weightDecay;
  return {
    name: 'momentum',
    slots: SLOTS,
    hypers: decay === 'none' ? ['beta1'] : ['beta1', 'weightDecay'],
    initState: (o) => zeros(o, SLOTS),
    nextState: (o, { param, grad, hyper }, s) => ({
      avg: ema(o, s.avg, hyper.beta1, regularisedGrad(o, decay, grad, param, wdOf(hyper))),
    }),
    nextParam: (o, { param, hyper }, _s, next) =>
      o.sub(decayedParam(o, decay, param, hyper.lr, wdOf(hyper)), o.mul(next.avg, hyper.lr)),
  };
};

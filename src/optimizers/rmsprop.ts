import type { EpsPlacement } from './eps.ts';
import { rootDenominator } from './eps.ts';
import type { UpdateRule, WeightDecay } from './rule.ts';
import { decayedParam, ema, regularisedGrad, square } from './rule.ts';

export interface RmspropOptions {
  /**
   * Which average divides the step: `previous` (the workbook's `rmsprop` tab, which divides
   * by the row above, before the current gradient is added) or `current` (miniai, PyTorch).
   */
  readonly denominator?: 'previous' | 'current';
  readonly eps?: EpsPlacement;
  /** Start the average at `g²` of the first step (miniai) instead of 0. */
  readonly initWithFirstGrad?: boolean;
  readonly weightDecay?: WeightDecay;
}

/**
 * RMSProp: scale each step by the root of an EMA of squared gradients.
 *   sqr ← sqr·β₂ + (1−β₂)·g²
 *   p   ← p − g·lr / (√sqr + ε)
 * Defaults are the workbook's (`previous` denominator, no ε); miniai's `RMSProp` is
 * `{ denominator: 'current', eps: 'outside', initWithFirstGrad: true }` with β₂ 0.99, ε 1e-5.
 * Hinton, Coursera lecture 6e (2012).
 */
export const rmsprop = (
  opts: RmspropOptions = {},
): UpdateRule<'sqr', 'beta2' | 'eps' | 'weightDecay'> => {
  const decay = opts.weightDecay ?? 'none';
  const placement = opts.eps ?? 'none';
  const usePrevious = (opts.denominator ?? 'previous') === 'previous';
  const hypers: ('beta2' | 'eps' | 'weightDecay')[] = ['beta2'];
  if (placement !== 'none') hypers.push('eps');
  if (decay !== 'none') hypers.push('weightDecay');
  const wdOf = <T>(h: Readonly<Record<'weightDecay', T>>): T | undefined =>
    decay === 'none' ? undefined : h.weightDecay;
  return {
    name: 'rmsprop',
    slots: ['sqr'],
    hypers,
    initState: (o, { grad }) => ({ sqr: opts.initWithFirstGrad ? square(o, grad) : o.lit(0) }),
    nextState: (o, { param, grad, hyper }, s) => ({
      sqr: ema(
        o,
        s.sqr,
        hyper.beta2,
        square(o, regularisedGrad(o, decay, grad, param, wdOf(hyper))),
      ),
    }),
    nextParam: (o, { param, grad, hyper }, s, next) => {
      const g = regularisedGrad(o, decay, grad, param, wdOf(hyper));
      const v = usePrevious ? s.sqr : next.sqr;
      const denom = rootDenominator(o, v, placement, placement === 'none' ? undefined : hyper.eps);
      return o.sub(
        decayedParam(o, decay, param, hyper.lr, wdOf(hyper)),
        o.div(o.mul(g, hyper.lr), denom),
      );
    },
  };
};

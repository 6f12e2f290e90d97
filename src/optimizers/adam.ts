import type { EpsPlacement } from './eps.ts';
import { rootDenominator } from './eps.ts';
import type { UpdateRule, WeightDecay } from './rule.ts';
import { zeros } from './init-state.ts';
import { decayedParam, ema, oneMinus, regularisedGrad, square } from './rule.ts';

export interface AdamOptions {
  /** Divide the averages by `1 − βᵗ` (miniai, PyTorch); the workbook does not. */
  readonly biasCorrection?: boolean;
  readonly eps?: EpsPlacement;
  /** `decoupled` is AdamW (Loshchilov & Hutter 2019). */
  readonly weightDecay?: WeightDecay;
}

const SLOTS = ['avg', 'sqr'] as const;

/**
 * Adam (Kingma & Ba 2015):
 *   avg ← avg·β₁ + (1−β₁)·g          sqr ← sqr·β₂ + (1−β₂)·g²
 *   p   ← p − avg·lr / √sqr           (the workbook's `adam` tab: no bias correction, no ε)
 * With bias correction, `avg/(1−β₁ᵗ)` and `sqr/(1−β₂ᵗ)` replace the averages. miniai's `Adam`
 * is `{ biasCorrection: true, eps: 'inside' }` (β 0.9/0.99, ε 1e-5); PyTorch's puts ε outside.
 */
export const adam = (
  opts: AdamOptions = {},
): UpdateRule<'avg' | 'sqr', 'beta1' | 'beta2' | 'eps' | 'weightDecay'> => {
  const decay = opts.weightDecay ?? 'none';
  const placement = opts.eps ?? 'none';
  const hypers: ('beta1' | 'beta2' | 'eps' | 'weightDecay')[] = ['beta1', 'beta2'];
  if (placement !== 'none') hypers.push('eps');
  if (decay !== 'none') hypers.push('weightDecay');
  const wdOf = <T>(h: Readonly<Record<'weightDecay', T>>): T | undefined =>
    decay === 'none' ? undefined : h.weightDecay;
  return {
    name: 'adam',
    slots: SLOTS,
    hypers,
    initState: (o) => zeros(o, SLOTS),
    nextState: (o, { param, grad, hyper }, s) => {
      const g = regularisedGrad(o, decay, grad, param, wdOf(hyper));
      return { avg: ema(o, s.avg, hyper.beta1, g), sqr: ema(o, s.sqr, hyper.beta2, square(o, g)) };
    },
    nextParam: (o, { param, hyper, step }, _s, next) => {
      const debias = (x: typeof next.avg, beta: typeof next.avg) =>
        opts.biasCorrection ? o.div(x, oneMinus(o, o.pow(beta, step))) : x;
      const avg = debias(next.avg, hyper.beta1);
      const sqr = debias(next.sqr, hyper.beta2);
      const denom = rootDenominator(
        o,
        sqr,
        placement,
        placement === 'none' ? undefined : hyper.eps,
      );
      return o.sub(
        decayedParam(o, decay, param, hyper.lr, wdOf(hyper)),
        o.div(o.mul(avg, hyper.lr), denom),
      );
    },
  };
};

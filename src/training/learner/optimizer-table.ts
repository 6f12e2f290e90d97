import type { UpdateRule } from '../../optimizers/index.ts';
import { adam, momentum, rmsprop, sgd } from '../../optimizers/index.ts';

/** Hyperparameters of a parameter group: `lr` and the rule's own, readable and writable between steps. */
export type Hyper = Record<string, number>;

/** The lesson's optimizers by name, with their notebook formulations and defaults (docs/lesson.md §3.1, §3.3). */
export type OptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'adam' | 'adamw';

export const OPTIMIZERS: Readonly<
  Record<OptimizerName, { readonly rule: UpdateRule; readonly defaults: Hyper }>
> = {
  sgd: { rule: sgd(), defaults: {} },
  momentum: { rule: momentum(), defaults: { beta1: 0.9 } },
  rmsprop: {
    rule: rmsprop({ denominator: 'current', eps: 'outside', initWithFirstGrad: true }),
    defaults: { beta2: 0.99, eps: 1e-5 },
  },
  adam: {
    rule: adam({ biasCorrection: true, eps: 'inside' }),
    defaults: { beta1: 0.9, beta2: 0.99, eps: 1e-5 },
  },
  /** PyTorch's AdamW, the lesson's `opt_func` for every ResNet run: betas (0.9, 0.999), ε 1e-8, wd 0.01. */
  adamw: {
    rule: adam({ biasCorrection: true, eps: 'outside', weightDecay: 'decoupled' }),
    defaults: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
  },
};
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];
